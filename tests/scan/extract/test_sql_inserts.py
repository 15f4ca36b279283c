"""``INSERT INTO`` in SQL files: one insert fact per table per file."""

from __future__ import annotations

from scalescope.model.facts import DataAccess
from scalescope.scan.extract.base import extract_file

SQL = """\
CREATE TABLE plans (id serial primary key, name text);
-- seed the plan types
INSERT INTO plans (name) VALUES ('free');
INSERT INTO "public"."plans" (name) VALUES ('pro');
insert or ignore into `settings` (k, v) values ('theme', 'dark');
WITH x AS (SELECT 1) INSERT INTO audit_log (id) SELECT * FROM x;
SELECT 'INSERT INTO not_a_table';
"""


def test_one_insert_per_table_at_its_first_statement() -> None:
    facts = [
        f for f in extract_file("db/migrations/002_plans.sql", "sql", SQL).facts if isinstance(f, DataAccess)
    ]
    assert [(f.model, f.loc.line, f.kind, f.operation, f.function_id) for f in facts] == [
        ("plans", 3, "write", "insert", None),
        ("settings", 5, "write", "insert", None),
        ("audit_log", 6, "write", "insert", None),
    ]
