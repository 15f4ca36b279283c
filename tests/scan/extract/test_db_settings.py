"""``SET statement_timeout`` run by code -> DbSetting with its scope and the library running it."""

from __future__ import annotations

from scalescope.model.facts import DbSetting
from scalescope.scan.extract.base import extract_file

HOOKS = """import { Pool } from "pg";
export const pool = new Pool({ max: 10 });
pool.on("connect", (client) => {
  client.query("SET statement_timeout = 5000");
});
// SET statement_timeout = 1 in a comment is not code
export const run = (tx) => tx.$executeRaw`SET LOCAL statement_timeout = 2000`;
export const viaDrizzle = (db) => db.execute(sql`SET statement_timeout TO 3000`);
"""


def _settings(text: str, path: str, language: str) -> list[tuple[int, str, str, str]]:
    result = extract_file(path, language, text)
    assert not result.errors, result.errors
    return [(f.loc.line, f.scope, f.library, f.value) for f in result.facts if isinstance(f, DbSetting)]


def test_js_session_and_transaction_settings_with_their_library() -> None:
    assert _settings(HOOKS, "src/db.ts", "typescript") == [
        (4, "session", "pg", "5000"),
        (7, "transaction", "prisma", "2000"),
        (8, "session", "drizzle", "3000"),
    ]


def test_python_set_local_is_per_transaction() -> None:
    text = (
        "from sqlalchemy import text\n"
        "def run(conn):\n"
        "    conn.execute(text(\"SET LOCAL statement_timeout = '60s'\"))\n"
        "    conn.execute(text('SET statement_timeout = 5000'))\n"
    )
    assert _settings(text, "app/db.py", "python") == [
        (3, "transaction", "sqlalchemy", "60s"),
        (4, "session", "sqlalchemy", "5000"),
    ]
