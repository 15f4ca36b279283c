"""Paths the shared server cannot show, on a private PostgreSQL: password authentication and
pg_stat_statements (which needs shared_preload_libraries, i.e. a server restart)."""

from __future__ import annotations

import psycopg
import pytest

from scalescope.cli import main
from scalescope.probe.postgres.probe import probe_postgres
from scalescope.probe.settings import ProbeSettings
from scalescope.probe.target import EXIT_AUTH, ProbeError

from .conftest import OWN_PG_PASSWORD


def test_wrong_password_is_a_refused_login(own_pg: str, capsys: pytest.CaptureFixture[str]) -> None:
    wrong = own_pg.replace(OWN_PG_PASSWORD, "Wrong-Pass-77")
    with pytest.raises(ProbeError) as info:
        probe_postgres(wrong)
    assert info.value.exit_code == EXIT_AUTH
    assert 'password authentication failed for user "postgres"' in info.value.message
    assert main(["probe", "postgres", wrong]) == EXIT_AUTH
    out, err = capsys.readouterr()
    assert "Wrong-Pass-77" not in out + err and OWN_PG_PASSWORD not in out + err
    assert "Traceback" not in err


def test_pg_stat_statements_names_slow_queries_and_their_filters(own_pg: str) -> None:
    with psycopg.connect(own_pg, autocommit=True) as conn:
        conn.execute(b"CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        conn.execute(b"DROP TABLE IF EXISTS shipments")
        conn.execute(b"CREATE TABLE shipments (id bigint PRIMARY KEY, carrier int, state int)")
        conn.execute(b"INSERT INTO shipments SELECT g, g % 50, g % 9 FROM generate_series(1, 30000) g")
        conn.execute(b"SELECT pg_stat_force_next_flush()")
        conn.execute(b"ANALYZE shipments")
        conn.execute(b"SELECT pg_stat_statements_reset()")
        for i in range(60):
            conn.execute(f"SELECT count(*) FROM shipments WHERE carrier = {i} AND state = 1".encode())
        for i in range(5):
            conn.execute(f"SELECT * FROM shipments WHERE id = {i}".encode())
        conn.execute(b"SELECT pg_stat_force_next_flush()")
    settings = ProbeSettings(slow_query_mean_ms=0.01, slow_query_min_calls=50)
    result = probe_postgres(own_pg, settings)
    assert not any("pg_stat_statements" in n for n in result.notices), result.notices
    slow = [f for f in result.findings if f.rule == "SC-PG-007"]
    on_shipments = [f for f in slow if "on shipments, filtering on carrier, state" in f.message]
    assert len(on_shipments) == 1
    assert "WHERE carrier = $1 AND state = $2" in on_shipments[0].excerpt
    assert not [f for f in slow if "filtering on id" in f.message]  # 5 calls: below the threshold
    seq = [f for f in result.findings if f.rule == "SC-PG-006" and f.message.startswith("public.shipments ")]
    assert len(seq) == 1 and "Its top statements filter on carrier, state." in seq[0].message
    assert seq[0].fix_snippet == "CREATE INDEX CONCURRENTLY ON public.shipments (carrier, state);"
