"""What removes or rewrites rows (SC-DB-015's inputs): referential actions of foreign keys,
retention mechanisms (TTL indexes, capped collections, partitioning), deletes and updates of
one loaded row, SQLAlchemy ``session.add``, PyMongo writes, ``TRUNCATE``/``ON CONFLICT``, and
inline middleware."""

from __future__ import annotations

from scalescope.model.facts import INLINE_MIDDLEWARE, DataAccess, Middleware, Retention, Table
from scalescope.scan.extract.base import extract_file


def _facts(path: str, language: str, src: str) -> list[object]:
    return list(extract_file(path, language, src).facts)


def _tables(path: str, language: str, src: str) -> dict[str, Table]:
    return {f.model or f.name: f for f in _facts(path, language, src) if isinstance(f, Table)}


def _writes(path: str, language: str, src: str) -> set[tuple[int, str | None, str, str]]:
    return {
        (f.loc.line, f.model, f.operation, f.kind)
        for f in _facts(path, language, src)
        if isinstance(f, DataAccess) and f.kind in {"write", "delete", "raw"}
    }


def _retention(path: str, language: str, src: str) -> set[tuple[str, str]]:
    return {(f.table, f.mechanism) for f in _facts(path, language, src) if isinstance(f, Retention)}


# --------------------------------------------------------------------------- referential actions


def test_on_delete_prisma() -> None:
    src = """\
model Event {
  id        Int     @id
  projectId Int
  project   Project @relation(fields: [projectId], references: [id], onDelete: Cascade)
  ownerId   Int
  owner     User    @relation(fields: [ownerId], references: [id], onDelete: SetNull)
  authorId  Int
  author    User    @relation("a", fields: [authorId], references: [id])
}
"""
    cols = {c.name: c for c in _tables("prisma/schema.prisma", "prisma", src)["Event"].columns}
    assert (cols["project"].on_delete, cols["projectId"].on_delete) == ("cascade", "cascade")
    assert cols["ownerId"].on_delete == "set null"
    assert cols["authorId"].on_delete == ""


def test_on_delete_typeorm_sequelize_drizzle_knex() -> None:
    typeorm = """\
@Entity()
export class Activity {
  @PrimaryGeneratedColumn() id: number;
  @ManyToOne(() => Workspace, { onDelete: "CASCADE" }) workspace: Workspace;
  @ManyToOne(() => User) user: User;
}
"""
    cols = {c.name: c for c in _tables("src/activity.entity.ts", "typescript", typeorm)["Activity"].columns}
    assert (cols["workspace"].on_delete, cols["workspaceId"].on_delete) == ("cascade", "cascade")
    assert cols["userId"].on_delete == ""
    sequelize = """\
const Usage = sequelize.define("Usage", {
  accountId: { type: DataTypes.INTEGER, references: { model: "Accounts", key: "id" }, onDelete: "CASCADE" },
});
"""
    cols = {c.name: c for c in _tables("src/models.ts", "typescript", sequelize)["Usage"].columns}
    assert cols["accountId"].on_delete == "cascade"
    drizzle = """\
import { pgTable, serial, integer } from "drizzle-orm/pg-core";
export const logs = pgTable("logs", {
  id: serial("id").primaryKey(),
  accountId: integer("account_id").references(() => accounts.id, { onDelete: "cascade" }),
  userId: integer("user_id").references(() => users.id),
});
"""
    cols = {c.name: c for c in _tables("src/schema.ts", "typescript", drizzle)["logs"].columns}
    assert (cols["accountId"].on_delete, cols["userId"].on_delete) == ("cascade", "")
    knex = """\
exports.up = (knex) => knex.schema.createTable("logs", (t) => {
  t.increments();
  t.integer("account_id").references("accounts.id").onDelete("CASCADE");
});
"""
    cols = {c.name: c for c in _tables("migrations/001_logs.js", "javascript", knex)["logs"].columns}
    assert cols["account_id"].on_delete == "cascade"


def test_on_delete_django_sqlalchemy_sql() -> None:
    django = """\
from django.db import models

class Ping(models.Model):
    project = models.ForeignKey("Project", on_delete=models.CASCADE)
    owner = models.ForeignKey("auth.User", models.SET_NULL, null=True)
    other = models.ForeignKey("Other", on_delete=models.PROTECT)
"""
    cols = {c.name: c for c in _tables("app/models.py", "python", django)["Ping"].columns}
    assert (cols["project"].on_delete, cols["owner"].on_delete, cols["other"].on_delete) == (
        "cascade",
        "set null",
        "protect",
    )
    sqla = """\
class Child(Base):
    __tablename__ = "children"
    id = Column(Integer, primary_key=True)
    parent_id = Column(Integer, ForeignKey("parents.id", ondelete="CASCADE"))
"""
    cols = {c.name: c for c in _tables("app/models.py", "python", sqla)["Child"].columns}
    assert cols["parent_id"].on_delete == "cascade"
    sql = """\
CREATE TABLE events (
  id bigserial PRIMARY KEY,
  project_id int REFERENCES projects(id) ON DELETE CASCADE,
  user_id int,
  FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE SET NULL
);
"""
    cols = {c.name: c for c in _tables("db/schema.sql", "sql", sql)["events"].columns}
    assert (cols["project_id"].on_delete, cols["user_id"].on_delete) == ("cascade", "set null")


# --------------------------------------------------------------------------- retention mechanisms


def test_mongoose_ttl_and_capped() -> None:
    src = """\
const mongoose = require("mongoose");
const sessionSchema = new mongoose.Schema({ token: String, createdAt: { type: Date, expires: "7d" } });
const eventSchema = new mongoose.Schema({ at: Date });
eventSchema.index({ at: 1 }, { expireAfterSeconds: 3600 });
const logSchema = new mongoose.Schema({ line: String }, { capped: { size: 1024 } });
const keepSchema = new mongoose.Schema({ at: Date });
keepSchema.index({ at: 1 });
module.exports = {
  Session: mongoose.model("Session", sessionSchema),
  Event: mongoose.model("Event", eventSchema),
  Log: mongoose.model("Log", logSchema),
  Keep: mongoose.model("Keep", keepSchema),
};
"""
    assert _retention("src/models.js", "javascript", src) == {
        ("Session", "ttl"),
        ("Event", "ttl"),
        ("Log", "capped"),
    }


def test_nest_mongoose_prop_expires() -> None:
    src = """\
@Schema()
export class Otp {
  @Prop({ type: Date, expires: 600 })
  createdAt: Date;
}
"""
    assert _retention("src/otp.schema.ts", "typescript", src) == {("Otp", "ttl")}


def test_driver_ttl_indexes_and_capped_collections() -> None:
    js = """\
await db.collection("pixel_hits").createIndex({ at: 1 }, { expireAfterSeconds: 3600 });
await db.createCollection("audit", { capped: true, size: 1e6 });
await db.collection("users").createIndex({ email: 1 }, { unique: true });
"""
    assert _retention("src/setup.js", "javascript", js) == {("pixel_hits", "ttl"), ("audit", "capped")}
    py = """\
db.events.create_index("at", expireAfterSeconds=3600)
db["clicks"].create_index([("at", 1)], expireAfterSeconds=60)
db.create_collection("logs", capped=True, size=1000)

class Visit(Document):
    meta = {"indexes": [{"fields": ["at"], "expireAfterSeconds": 60}]}
"""
    assert _retention("app/setup.py", "python", py) == {
        ("events", "ttl"),
        ("clicks", "ttl"),
        ("logs", "capped"),
        ("Visit", "ttl"),
    }


def test_partitioning_and_sql_file_deletes() -> None:
    sql = """\
CREATE TABLE events (id bigserial, at timestamptz NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE plain (id int);
ALTER TABLE logs DROP PARTITION p2023;
SELECT partman.create_parent(p_parent_table => 'public.hits', p_control => 'at', p_interval => '1 day');
SELECT add_retention_policy('metrics', INTERVAL '30 days');
SELECT cron.schedule('purge', '0 * * * *', $$DELETE FROM sessions WHERE expires_at < now()$$);
TRUNCATE TABLE cache_entries;
"""
    assert _retention("db/setup.sql", "sql", sql) == {
        ("events", "partition"),
        ("logs", "partition"),
        ("hits", "partition"),
        ("metrics", "timescale"),
    }
    assert {(m, op, k) for _, m, op, k in _writes("db/setup.sql", "sql", sql)} == {
        ("sessions", "delete", "delete"),
        ("cache_entries", "truncate", "delete"),
    }
    migration = '''\
def upgrade():
    op.execute("CREATE TABLE uploads (id bigserial, at timestamptz) PARTITION BY RANGE (at)")
'''
    assert _retention("alembic/versions/0001_uploads.py", "python", migration) == {("uploads", "partition")}


# --------------------------------------------------------------------------- writes of one loaded row


def test_js_instance_deletes_and_updates() -> None:
    src = """\
import { Session, Token } from "./models";
import { Op } from "sequelize";
export async function logout(id) {
  const s = await Session.findByPk(id);
  await s.destroy();
}
export async function sweep() {
  const stale = await Token.findAll({ where: { expiresAt: { [Op.lt]: new Date() } } });
  for (const t of stale) {
    await t.destroy();
  }
  stale.forEach((t) => t.destroy());
  const m = new Map();
  m.delete("x");
}
export async function run() {
  const log = await Session.create({ status: "running" });
  log.status = "done";
  await log.save();
}
"""
    got = _writes("src/jobs.ts", "typescript", src)
    assert {(5, "Session", "destroy", "delete"), (10, "Token", "destroy", "delete")} <= got
    assert (12, "Token", "destroy", "delete") in got
    assert (19, "Session", "update", "write") in got
    assert not any(line == 14 for line, *_ in got)  # a Map's delete is not a row's
    rows = [f for f in _facts("src/jobs.ts", "typescript", src) if isinstance(f, DataAccess)]
    assert {f.loc.line for f in rows if f.row_write} == {5, 10, 12, 19}


def test_python_instance_deletes_and_updates() -> None:
    src = """\
from .models import AuditLog, PageView

def sweep(db):
    rows = db.query(PageView).filter(PageView.id < 5).all()
    for r in rows:
        db.delete(r)
    t = AuditLog.objects.get(pk=1)
    t.delete()
    seen = set()
    seen.add(1)

def touch(db):
    row = db.get(AuditLog, 3)
    row.action = "y"
    row.user = None
    db.commit()
    pv = PageView.objects.create(path="x")
    pv.save()
"""
    got = _writes("app/jobs.py", "python", src.replace("def touch", "import sqlalchemy\n\ndef touch"))
    assert {(6, "PageView", "delete", "delete"), (8, "AuditLog", "delete", "delete")} <= got
    assert (16, "AuditLog", "update", "write") in got  # one update per row and function
    assert not any(line == 17 for line, *_ in got)
    assert (20, "PageView", "update", "write") in got


def test_session_add_and_pymongo_writes() -> None:
    src = """\
from pymongo import MongoClient
db = MongoClient().app

def record(session, rows):
    session.add(RequestLog(path="/"))
    log = AuditEntry(action="x")
    session.add(log)
    session.add_all([Item(name=n) for n in rows])
    for r in rows:
        db.session.add(Line(r=r))
    seen = set()
    seen.add(1)
    db.events.insert_one({"a": 1})
    db["clicks"].delete_many({})
"""
    facts = [f for f in _facts("app/record.py", "python", src) if isinstance(f, DataAccess)]
    got = {(f.loc.line, f.model, f.operation, f.kind) for f in facts}
    assert got == {
        (5, "RequestLog", "add", "write"),
        (7, "AuditEntry", "add", "write"),
        (8, "Item", "add_all", "write"),
        (10, "Line", "add", "write"),
        (13, "events", "insert_one", "write"),
        (14, "clicks", "delete_many", "delete"),
    }
    looped = next(f for f in facts if f.loc.line == 10)
    assert looped.loop is not None and looped.batched  # flushed together: not one statement per item
    assert not any(f.row_write for f in facts)


def test_raw_truncate_and_on_conflict() -> None:
    src = """\
export async function run(pool) {
  await pool.query("TRUNCATE cache_entries");
  await pool.query(
    "INSERT INTO daily_stats (day, n) VALUES ($1, 1) ON CONFLICT (day) DO UPDATE SET n = daily_stats.n + 1",
  );
  await pool.query("INSERT INTO logs (line) VALUES ($1)");
}
"""
    got = {(m, op) for _, m, op, _ in _writes("src/run.ts", "typescript", src)}
    assert got == {("cache_entries", "truncate"), ("daily_stats", "upsert"), ("logs", "insert")}


def test_inline_middleware_names_its_function() -> None:
    src = """\
import express from "express";
const app = express();
app.use(express.json());
app.use(async (req, res, next) => { next(); });
app.listen(3000);
"""
    facts = [f for f in _facts("src/app.ts", "typescript", src) if isinstance(f, Middleware)]
    inline = [f for f in facts if f.name == INLINE_MIDDLEWARE]
    assert len(inline) == 1 and inline[0].handler_id == "src/app.ts::<anonymous>@4"
