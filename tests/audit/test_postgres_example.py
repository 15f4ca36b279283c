"""The bundled example audited on PostgreSQL, with the live probes (issue 10: "the examples that
use PostgreSQL and Redis are audited in tests against the servers on the development and CI
machines").

The test creates its own database ``scalescope_audit_<random>`` on the PostgreSQL at
127.0.0.1:5432 (trust auth; ``SCALESCOPE_TEST_PG`` overrides the admin URL) and picks an empty
Redis database number on 127.0.0.1:6379 (``SCALESCOPE_TEST_REDIS`` overrides host:port), runs
``scalescope audit examples/audit-shop --env DATABASE_URL=postgresql+psycopg://... --env
REDIS_URL=redis://127.0.0.1:6379/<n> --db $DATABASE_URL --redis $REDIS_URL``, so the app caches
its products in that Redis (keys ``shop:product:<id>``, no expiry: the planted SC-CACHE-005) and
the live probe reads the Redis the app really uses; afterwards it drops the database and deletes
the ``shop:*`` keys. The database is seeded by the example's own ``seed()`` and ANALYZEd first,
as a database in service is: a table nobody has analyzed yet has no row estimate, and the
probe's foreign-key check ignores small tables. Without a server the test skips, or fails with
``CI=true``.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest
from click.testing import CliRunner

from scalescope.cli import cli
from tests.ci import cannot_run_here

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "audit-shop"
PG_ADMIN = os.environ.get("SCALESCOPE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
_REDIS_HOST, _, _REDIS_PORT = os.environ.get("SCALESCOPE_TEST_REDIS", "127.0.0.1:6379").rpartition(":")
REDIS = (_REDIS_HOST or "127.0.0.1", int(_REDIS_PORT))
#: the app's key prefix (examples/audit-shop/app/main.py): what the test deletes afterwards
KEY_PREFIX = "shop:"
#: put in the URL the app and the probe get; trust auth never asks for it, and no report may show it
PASSWORD = "never-shown-" + secrets.token_hex(4)


def _unavailable(what: str) -> None:
    cannot_run_here(what, f"{what} (CI=true: the PostgreSQL audit test must run)")


def _with(url: str, *, db: str, scheme: str | None = None, password: str | None = None) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    netloc = parts.netloc
    if password is not None and parts.password is None:
        user, at, host = netloc.rpartition("@")
        netloc = f"{user}:{password}@{host}" if at else netloc
    return urlunsplit((scheme or parts.scheme, netloc, "/" + db, "", ""))


@pytest.fixture
def shop_db() -> Iterator[tuple[str, Any]]:
    try:
        import psycopg
    except ImportError:
        _unavailable("psycopg is not installed (pip install -e '.[live]')")
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        _unavailable(f"PostgreSQL at {PG_ADMIN} is not reachable: {exc}")
    name = f"scalescope_audit_{secrets.token_hex(4)}"
    admin.execute(f'CREATE DATABASE "{name}"'.encode())
    try:
        yield name, admin
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())
        admin.close()


@pytest.fixture
def redis_db() -> Iterator[tuple[int, Any]]:
    """An empty Redis database number (1-15) for the app's cache; its ``shop:*`` keys are
    deleted afterwards."""
    try:
        import redis
    except ImportError:
        _unavailable("redis-py is not installed (pip install -e '.[live]')")
    admin = redis.Redis(host=REDIS[0], port=REDIS[1], socket_connect_timeout=2)
    try:
        admin.ping()
    except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
        _unavailable(f"Redis at {REDIS[0]}:{REDIS[1]} is not reachable: {exc}")
    used = set(admin.info("keyspace"))  # {"db0", "db3", ...}: the databases holding keys
    admin.close()
    start = secrets.randbelow(15)
    number = next((n for n in (1 + (start + i) % 15 for i in range(15)) if f"db{n}" not in used), None)
    if number is None:
        pytest.fail("no empty Redis database among 1-15 for the test")
    client = redis.Redis(host=REDIS[0], port=REDIS[1], db=number, socket_connect_timeout=2)
    try:
        yield number, client
    finally:
        for key in list(client.scan_iter(match=KEY_PREFIX + "*", count=500)):
            client.delete(key)
        client.close()


def _app_processes(db: str) -> list[int]:
    out = []
    for p in psutil.process_iter(["cmdline", "environ"]):
        try:
            cmd = " ".join(p.info["cmdline"] or [])
            env = p.info["environ"] or {}
        except (psutil.Error, OSError):
            continue
        if "app.main:app" in cmd and db in env.get("DATABASE_URL", ""):
            out.append(p.pid)
    return out


def test_audit_of_the_example_on_postgresql_and_redis(
    shop_db: tuple[str, Any], redis_db: tuple[int, Any], tmp_path: Path
) -> None:
    name, admin = shop_db
    number, cache = redis_db
    app_url = _with(PG_ADMIN, db=name, scheme="postgresql+psycopg", password=PASSWORD)
    redis_url = f"redis://:{PASSWORD}-redis@{REDIS[0]}:{REDIS[1]}/{number}"
    env = {**os.environ, "DATABASE_URL": app_url, "REDIS_URL": ""}
    seeded = subprocess.run(
        [sys.executable, "-c", "from app.seed import seed; seed()"],
        cwd=EXAMPLE,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert seeded.returncode == 0, seeded.stderr
    import psycopg

    with psycopg.connect(_with(PG_ADMIN, db=name), autocommit=True) as conn:
        conn.execute(b"ANALYZE")

    out = tmp_path / "audit.json"
    start = f"{sys.executable} -m uvicorn app.main:app --host 127.0.0.1 --port {{port}} --log-level warning"
    result = CliRunner().invoke(
        cli,
        [
            "audit",
            str(EXAMPLE),
            "--start",
            start,
            "--env",
            f"DATABASE_URL={app_url}",
            "--env",
            f"REDIS_URL={redis_url}",
            "--db",
            "$DATABASE_URL",
            "--redis",
            "$REDIS_URL",
            "--budget",
            "45s",
            "-f",
            "json",
            "-o",
            str(out),
        ],
    )
    text = out.read_text(encoding="utf-8")
    data = json.loads(text)
    cap = data["capacity"]
    if cap and cap["limiting"] == "generator" and not cap["sustainable_rps"]:
        # the machine was too busy to deliver even the first step (test_example.py does the same)
        cannot_run_here("the load generator was the limit on this busy machine: " + cap["summary"])
    why = (data["verdict"], [f["rule"] for f in data["findings"]], data["warnings"], data["log_tail"])
    assert result.exit_code == 0, why
    assert PASSWORD not in text and PASSWORD not in result.output

    # capacity was measured on PostgreSQL
    assert data["capacity"]["sustainable_rps"] > 0, data["capacity"]["summary"]
    assert data["verdict"]["ok"] is True

    # both servers were read, named without credentials
    servers = {s["server"]: s for s in data["probes"]["servers"]}
    pg, rd = servers["postgres"], servers["redis"]
    assert pg["error"] is None and rd["error"] is None, data["warnings"]
    assert pg["label"].startswith("postgresql://") and pg["label"].endswith(f"/{name}")
    assert rd["label"].endswith(f":{REDIS[1]}/{number}")

    # the planted unindexed foreign key order_items.order_id, from the live server ...
    fk = [f for f in data["findings"] if f["rule"] == "SC-PG-005"]
    assert any("order_items" in f["message"] and "order_id" in f["message"] for f in fk), fk
    assert "SC-PG-005" in pg["findings"]
    # ... and from the scan: the N+1's inner query filters on it, and the load's sequential
    # scans of order_items confirm it
    n_plus_one_line = next(
        i + 1
        for i, line in enumerate((EXAMPLE / "app" / "main.py").read_text().splitlines())
        if "OrderItem.order_id == order.id" in line
    )
    checks = {(c["rule"], c["file"], c["line"]): c for c in data["probes"]["cross_checks"]}
    check = checks.get(("SC-DB-006", "app/main.py", n_plus_one_line))
    assert check is not None and check["outcome"] == "confirmed", data["probes"]["cross_checks"]
    static = next(
        f
        for f in data["findings"]
        if f["rule"] == "SC-DB-006" and f["file"] == "app/main.py" and f["line"] == n_plus_one_line
    )
    # capped at low by the scan (the table's size decides it), one step up once the server confirms
    assert static["confidence"] == "medium" and "live server confirms" in static["message"]
    assert "order_items" in static["message"]

    # the app cached its products in that Redis, with no expiry (the planted SC-CACHE-005) ...
    cached = sorted(k.decode() for k in cache.scan_iter(match=KEY_PREFIX + "*"))
    assert cached and all(k.startswith("shop:product:") for k in cached), cached
    assert all(cache.ttl(k) == -1 for k in cached)
    # ... and the live probe's key sample checks the scan's finding on that write (capped at low
    # by calibration): it confirms it, raising it to the default report, once the sample holds 5
    # or more such keys under a varying id (the audit reads that many products when it looks
    # for the sizes /products/{product_id} serves), else it only adds the numbers
    write_line = next(
        i + 1
        for i, line in enumerate((EXAMPLE / "app" / "main.py").read_text().splitlines())
        if "redis_client.set(" in line
    )
    check = checks.get(("SC-CACHE-005", "app/main.py", write_line))
    assert check is not None, data["probes"]["cross_checks"]
    assert check["outcome"] == ("confirmed" if len(cached) >= 5 else "checked"), (cached, check)
    assert check["server"] == rd["label"]
    if check["outcome"] == "confirmed":
        no_ttl = next(f for f in data["findings"] if f["rule"] == "SC-CACHE-005" and f["line"] == write_line)
        assert no_ttl["confidence"] == "medium"
        assert "holds such keys without a TTL: shop:product:*" in no_ttl["message"]
    # the Redis the example deploys (redis.conf) sets no maxmemory: the live server's own setting
    # confirms or contradicts that, and the probe reports the live server's memory cap itself
    live_maxmemory = str(cache.config_get("maxmemory")["maxmemory"])
    conf = checks.get(("SC-CACHE-007", "redis.conf", 1))
    assert conf is not None, data["probes"]["cross_checks"]
    assert conf["outcome"] == ("confirmed" if live_maxmemory == "0" else "contradicted")
    if live_maxmemory == "0":
        assert "SC-REDIS-001" in rd["findings"]
        # capped at low by calibration, shown once the live server confirms it
        maxmemory = next(f for f in data["findings"] if f["rule"] == "SC-CACHE-007")
        assert maxmemory["confidence"] == "medium" and "confirms it" in maxmemory["message"]
    # Redis findings read from the live server name it by label, never with the password
    assert all(PASSWORD not in json.dumps(f) for f in data["findings"])

    # nothing left behind: no app process, no session on the database (DROP without FORCE works)
    assert not _app_processes(name)
    admin.execute(f'DROP DATABASE "{name}"'.encode())
    row = admin.execute(b"SELECT count(*) FROM pg_database WHERE datname = %s", (name,)).fetchone()
    assert row is not None and row[0] == 0
