"""``scalescope probe``: exit statuses, plain error messages, no secrets, every format."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from scalescope.cli import main
from scalescope.probe.target import EXIT_AUTH, EXIT_DRIVER_MISSING, EXIT_UNREACHABLE, EXIT_USAGE

from .conftest import PgDatabase, RedisFactory, free_port

LEDGER = Path(__file__).parent / "fixtures" / "ledger"
SECRET = "hunter2-Secret"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_unreachable_postgres_is_a_plain_message_and_exit_3(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"postgresql://app:{SECRET}@127.0.0.1:{free_port()}/shop"
    code, out, err = run(capsys, "probe", "postgres", url, "--timeout", "2")
    assert code == EXIT_UNREACHABLE
    assert err.startswith("scalescope probe: cannot reach PostgreSQL at postgresql://127.0.0.1:")
    assert "Traceback" not in err and SECRET not in err + out and out == ""


def test_unreachable_redis_exit_3(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "probe", "redis", f"redis://:{SECRET}@127.0.0.1:{free_port()}/0")
    assert code == EXIT_UNREACHABLE
    assert err.startswith("scalescope probe: cannot reach Redis at redis://127.0.0.1:")
    assert SECRET not in err + out and "Traceback" not in err


def test_unknown_role_is_a_refused_login_exit_4(
    pg_db: PgDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    scheme, _, rest = pg_db.url.partition("://")
    url = f"{scheme}://no_such_role_x:{SECRET}@{rest.split('@', 1)[-1]}"
    code, out, err = run(capsys, "probe", "postgres", url)
    assert code == EXIT_AUTH
    assert "refused the login" in err and 'role "no_such_role_x" does not exist' in err
    assert SECRET not in err + out


def test_wrong_redis_password_exit_4(redis_server: RedisFactory, capsys: pytest.CaptureFixture[str]) -> None:
    url = redis_server(password="right-password")
    code, out, err = run(capsys, "probe", "redis", url.replace("right-password", SECRET))
    assert code == EXIT_AUTH
    assert err.startswith("scalescope probe: Redis at redis://127.0.0.1:")
    assert SECRET not in err + out and "right-password" not in err + out


def test_bad_url_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "probe", "postgres", f"mysql://root:{SECRET}@db/x")
    assert code == EXIT_USAGE
    assert "not a postgres URL" in err and SECRET not in err


def test_url_from_the_environment(
    pg_db: PgDatabase, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", pg_db.url)
    code, out, _ = run(capsys, "probe", "postgres", "--format", "json")
    assert code == 0 and json.loads(out)["target"]["path"].endswith(pg_db.name)
    monkeypatch.delenv("DATABASE_URL")
    code, _, err = run(capsys, "probe", "postgres")
    assert code == EXIT_USAGE and "set DATABASE_URL" in err


def test_missing_driver_exit_5(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now raises ImportError
    code, _, err = run(capsys, "probe", "postgres", "postgresql://127.0.0.1/x")
    assert code == EXIT_DRIVER_MISSING and "pip install 'scalescope[live]'" in err


@pytest.mark.parametrize("fmt", ["terminal", "md", "html", "json", "sarif"])
def test_every_format_renders_without_the_password(
    pg_db: PgDatabase, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    scheme, _, rest = pg_db.url.partition("://")
    url = f"{scheme}://postgres:{SECRET}@{rest.split('@', 1)[-1]}"  # trust auth ignores it
    code, out, err = run(capsys, "probe", "postgres", url, "--format", fmt)
    assert code == 0, err
    assert SECRET not in out + err
    assert "SC-PG-002" in out
    if fmt == "json":
        data = json.loads(out)
        assert data["schema_version"] == 1
        rules = {f["rule"] for f in data["findings"]}
        assert {"SC-PG-002", "SC-PG-003", "SC-PG-004"} <= rules
        assert all(f["file"] == f"postgresql://127.0.0.1:5432/{pg_db.name}" for f in data["findings"])
    if fmt == "sarif":
        data = json.loads(out)
        ids = {r["id"] for r in data["runs"][0]["tool"]["driver"]["rules"]}
        assert {"SC-PG-001", "SC-PG-016"} <= ids
        assert "SC-PG-015" not in ids  # a cross-check: only with --scan


def test_fail_on(pg_db: PgDatabase, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "probe", "postgres", pg_db.url, "--fail-on", "medium")[0] == 1
    assert run(capsys, "probe", "postgres", pg_db.url, "--fail-on", "critical")[0] == 0


def test_scan_and_cross_check_from_the_cli(pg_db: PgDatabase, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "probe", "postgres", pg_db.url, "--scan", str(LEDGER), "--format", "json",
        "--min-confidence", "low",
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["target"]["path"] == "ledger"
    rules = [f["rule"] for f in data["findings"]]
    assert "SC-DB-006" in rules and "SC-PG-002" in rules and "SC-PG-015" in rules
    pool = next(f for f in data["findings"] if f["rule"] == "SC-DB-001")
    assert "9 per process x 12 processes" in pool["message"]


def test_scan_path_must_be_a_directory(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _err = run(capsys, "probe", "postgres", "postgresql://127.0.0.1/x", "--scan", "/nonexistent/x")
    assert code == EXIT_USAGE


def test_checks_and_explain(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "probe", "checks", "--format", "json")
    assert code == 0
    ids = [row["id"] for row in json.loads(out)]
    assert ids[0] == "SC-PG-001" and "SC-REDIS-010" in ids
    code, out, _ = run(capsys, "probe", "explain", "SC-PG-005")
    assert code == 0
    assert out.startswith("# SC-PG-005 foreign-key-without-index")
    assert "## What it finds" in out and "## Why it matters at scale" in out and "## Use instead" in out
    assert run(capsys, "probe", "explain", "big-key")[1].startswith("# SC-REDIS-007 big-key")
    code, _, err = run(capsys, "probe", "explain", "SC-PG-999")
    assert code == EXIT_USAGE and "unknown probe check" in err
