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

PG_ADMIN = os.environ.get("SCALESCOPE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
CI = os.environ.get("CI", "").lower() == "true"


def unavailable(what: str) -> None:
    if CI:
        pytest.fail(f"{what} (CI=true: live probe tests must run)")
    pytest.skip(what)


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
