"""Live servers for the probe tests.

PostgreSQL: the shared server on 127.0.0.1:5432 (trust auth, database ``test``); each test gets
its own database ``scalescope_probe_<random>``, dropped afterwards. Redis: each test starts its
own ``redis-server`` on a free port with known settings and stops it by PID. Without a server
the tests skip, except with ``CI=true``, where they fail.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.ci import cannot_run_here

PG_ADMIN = os.environ.get("SCALESCOPE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def unavailable(what: str) -> None:
    cannot_run_here(what, f"{what} (CI=true: live probe tests must run)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _url_for(db: str) -> str:
    head, _, _ = PG_ADMIN.rpartition("/")
    return f"{head}/{db}"


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Any]:
    try:
        import psycopg
    except ImportError:
        unavailable("psycopg is not installed (pip install -e '.[live]')")
    try:
        conn = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        unavailable(f"PostgreSQL at {PG_ADMIN} is not reachable: {exc}")
    yield conn
    conn.close()


class PgDatabase:
    """A throwaway database: ``url`` for the probe, ``conn`` (autocommit) to plant conditions."""

    def __init__(self, admin: Any, name: str) -> None:
        import psycopg

        self.admin = admin
        self.name = name
        self.url = _url_for(name)
        self.conn = psycopg.connect(self.url, autocommit=True)

    def run(self, *statements: str) -> None:
        with self.conn.cursor() as cur:
            for sql in statements:
                cur.execute(sql.encode())

    def flush_stats(self) -> None:
        """Make this backend's table/index counters visible to other sessions now (PG15+)."""
        with self.conn.cursor() as cur:
            cur.execute(b"SELECT 1 FROM pg_proc WHERE proname = 'pg_stat_force_next_flush'")
            if cur.fetchone():
                cur.execute(b"SELECT pg_stat_force_next_flush()")
                cur.execute(b"SELECT 1")
            else:  # pragma: no cover - PG < 15 flushes at most every 500 ms
                time.sleep(1.0)

    def close(self) -> None:
        self.conn.close()


@pytest.fixture()
def pg_db(pg_admin: Any) -> Iterator[PgDatabase]:
    name = f"scalescope_probe_{secrets.token_hex(4)}"
    pg_admin.execute(f"CREATE DATABASE {name}".encode())
    db = PgDatabase(pg_admin, name)
    try:
        yield db
    finally:
        db.close()
        pg_admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)".encode())


RedisFactory = Callable[..., str]


@pytest.fixture()
def redis_server(tmp_path: Path) -> Iterator[RedisFactory]:
    """Start ``redis-server`` with the given arguments on a free port; returns its URL."""
    try:
        import redis  # noqa: F401
    except ImportError:
        unavailable("redis-py is not installed (pip install -e '.[live]')")
    binary = shutil.which("redis-server")
    if binary is None:
        unavailable("redis-server is not installed")
    assert binary is not None
    started: list[subprocess.Popen[bytes]] = []

    def start(*args: str, password: str = "") -> str:
        port = free_port()
        cmd = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        workdir = tmp_path / f"redis-{port}"  # its own directory: no AOF/RDB of another server
        workdir.mkdir()
        cmd += ["--dir", str(workdir), *args]
        if password:
            cmd += ["--requirepass", password]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started.append(proc)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if proc.poll() is not None:
                    unavailable(f"redis-server exited with {proc.returncode}")
                time.sleep(0.05)
        auth = f":{password}@" if password else ""
        return f"redis://{auth}127.0.0.1:{port}/0"

    try:
        yield start
    finally:
        for proc in started:
            proc.terminate()  # by PID: only the servers this fixture started
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:  # pragma: no cover
                proc.kill()
                proc.wait()


def redis_client(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url)


OWN_PG_PASSWORD = "own-pg-Secret-9"


def _pg_bindir() -> Path | None:
    found = shutil.which("pg_config")
    if found:
        out = subprocess.run([found, "--bindir"], capture_output=True, text=True, check=False).stdout.strip()
        if out and (Path(out) / "initdb").exists():
            return Path(out)
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    return candidates[0].parent if candidates else None


@pytest.fixture(scope="session")
def own_pg() -> Iterator[str]:
    """A private PostgreSQL (scram password auth, pg_stat_statements preloaded) on a free port,
    for the paths the shared server cannot show: a wrong password and pg_stat_statements.
    Skipped when the server binaries are not installed, and a failure with CI=true (the CI
    machine has them); stopped by its PID."""
    bindir = _pg_bindir()
    if bindir is None:
        unavailable("PostgreSQL server binaries (initdb) are not installed")
    assert bindir is not None
    import tempfile

    # not under pytest's tmp dir: that one is private to the current user, and initdb runs as
    # the postgres user when the tests run as root
    root = Path(tempfile.mkdtemp(prefix="scalescope_own_pg_"))
    data, pwfile = root / "data", root / "pw"
    pwfile.write_text(OWN_PG_PASSWORD + "\n")
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: run as the postgres user
        import pwd

        try:
            pg_user = pwd.getpwnam("postgres")
        except KeyError:
            unavailable("running as root and there is no postgres user for initdb")
        for path in (root, pwfile):
            os.chown(path, pg_user.pw_uid, pg_user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    init = subprocess.run(
        [*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--pwfile", str(pwfile),
         "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-sync"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if init.returncode != 0:
        unavailable(f"initdb failed: {init.stderr.strip()[:200]}")
    port = free_port()
    options = (
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c shared_preload_libraries=pg_stat_statements -c max_connections=20"
    )
    start = subprocess.run(
        [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"),
         "-w", "start"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if start.returncode != 0:
        unavailable(f"pg_ctl start failed: {start.stderr.strip()[:200]}")
    pid = int((data / "postmaster.pid").read_text().split()[0])
    try:
        yield f"postgresql://postgres:{OWN_PG_PASSWORD}@127.0.0.1:{port}/postgres"
    finally:
        import signal

        os.kill(pid, signal.SIGINT)  # fast shutdown of the postmaster this fixture started
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and (data / "postmaster.pid").exists():
            time.sleep(0.1)
        shutil.rmtree(root, ignore_errors=True)
