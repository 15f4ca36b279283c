"""SQL DDL and SQL embedded in migration code."""

from __future__ import annotations

from scalescope.model.facts import Column, Index, IndexDef, Loc, Table
from scalescope.scan.extract.base import extract_file

DDL = """\
-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);
CREATE FUNCTION touch() RETURNS trigger AS $$ BEGIN; NEW.x = 1; RETURN NEW; END; $$ LANGUAGE plpgsql;
CREATE TABLE orders (id bigserial primary key, user_id int references "User"(id), st text, email text unique);
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_status ON public.orders USING btree (status, created_at DESC);
ALTER TABLE ONLY public.orders ADD CONSTRAINT orders_uq UNIQUE (email, status);
ALTER TABLE `items` ADD INDEX `idx_a` (`a`, `b`);
this is not sql at all;
CREATE INDEX "ix2" ON "Post" ("authorId");
"""


def _facts() -> list[object]:
    return extract_file("db/migrations/001.sql", "sql", DDL).facts


def test_create_table() -> None:
    tables = [f for f in _facts() if isinstance(f, Table)]
    assert [t.name for t in tables] == ["User", "orders"]
    user = tables[0]
    assert user.loc == Loc("db/migrations/001.sql", 2, 6)
    assert user.columns == (
        Column("id", 3, type="serial", primary_key=True),
        Column("email", 4, type="text"),
    )
    assert user.indexes == (Index(("id",), 2, unique=True, name="User_pkey", primary=True),)
    orders = {c.name: c for c in tables[1].columns}
    assert orders["user_id"].references == "User.id"
    assert orders["email"].unique and orders["id"].primary_key


def test_indexes_and_constraints() -> None:
    defs = [(f.loc.line, f.table, f.columns, f.unique, f.name) for f in _facts() if isinstance(f, IndexDef)]
    assert defs == [
        (9, "User", ("email",), True, "User_email_key"),
        (10, "orders", ("status", "created_at"), False, "ix_status"),
        (11, "orders", ("email", "status"), True, "orders_uq"),
        (12, "items", ("a", "b"), False, "idx_a"),
        (14, "Post", ("authorId",), False, "ix2"),
    ]


def test_sql_in_migration_code() -> None:
    ts_src = """\
export class AddIdx1700 implements MigrationInterface {
  async up(q: QueryRunner) {
    await q.query(`CREATE INDEX "IDX_user_email" ON "user" ("email") `);
  }
}
"""
    py_src = 'def upgrade():\n    op.execute("CREATE UNIQUE INDEX CONCURRENTLY ux ON shop_order (number)")\n'
    ts_facts = [f for f in extract_file("m/1700.ts", "typescript", ts_src).facts if isinstance(f, IndexDef)]
    py_facts = [f for f in extract_file("m/0002.py", "python", py_src).facts if isinstance(f, IndexDef)]
    assert ts_facts == [
        IndexDef(Loc("m/1700.ts", 3), "user", ("email",), name="IDX_user_email", source="migration")
    ]
    assert py_facts == [
        IndexDef(Loc("m/0002.py", 2), "shop_order", ("number",), unique=True, name="ux", source="migration")
    ]
