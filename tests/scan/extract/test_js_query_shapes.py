"""Node query shapes as facts: builders followed through reassignment and helpers, limit
provenance, bounded IN lists, aggregates, join keys versus filters, filters carried by joins
and includes, and cache loaders (issue 8, items 4, 5 and 8)."""

# ruff: noqa: E501  (fixture source lines are kept as written)

from __future__ import annotations

from scalescope.model.facts import DataAccess
from scalescope.scan.extract.base import extract_file


def _by_line(text: str, path: str = "src/a.ts") -> dict[int, DataAccess]:
    result = extract_file(path, "typescript", text)
    assert not result.errors, result.errors
    return {f.loc.line: f for f in result.facts if isinstance(f, DataAccess)}


DRIZZLE = """import { drizzle } from "drizzle-orm/node-postgres";
import { and, count, eq, gt, inArray, sql, sum } from "drizzle-orm";
const db = drizzle(pool);
export async function list(req: any) {
  let q = db.select().from(posts).$dynamic();
  if (req.query.author) q = q.where(eq(posts.authorId, req.query.author));
  q = q.limit(Math.min(Number(req.query.n) || 20, 100));
  const rows = await q;
  const joined = await db.select().from(posts).leftJoin(users, eq(posts.authorId, users.id)).where(eq(users.email, req.query.e));
  const top = await db.select({ id: posts.id }).from(posts).orderBy(posts.createdAt).limit(10);
  const ids = top.map((p) => p.id);
  const comments = await db.select().from(commentsT).where(inArray(commentsT.postId, ids));
  const total = await db.select({ n: sql<number>`count(*)` }).from(posts).where(eq(posts.siteId, 1));
  const s = await db.select({ t: sum(posts.views) }).from(posts);
  const health = await db.execute(sql`SELECT 1`);
  const one = await db.select().from(posts).where(eq(posts.slug, "x")).get();
  const page = await db.select().from(posts).where(gt(posts.createdAt, req.query.d)).orderBy(posts.createdAt).limit(req.query.n + 1);
  const handed = await paginate(db.select().from(posts));
  const mine = await db.select().from(posts).innerJoin(members, and(eq(members.postId, posts.id), eq(members.userId, req.user.id)));
  const grouped = await db.select({ status: posts.status, n: count() }).from(posts).groupBy(posts.status);
  const floored = await db.select().from(posts).limit(Math.max(1, Math.min(req.query.n, 50)));
  return rows;
}
"""


def test_drizzle_query_shapes() -> None:
    a = _by_line(DRIZZLE)
    # reassigned builder: the later where and the clamped limit belong to the query
    assert (a[5].has_limit, a[5].filter_fields, a[5].limit_bound, a[5].limit_floor) == (True, ("authorId",), "clamped", False)
    # a join key is not a filter; a condition on the joined table filters through the join
    assert a[9].filter_fields == ()
    assert a[9].join_keys == (("posts.authorId", "users.id"),)
    assert a[9].related_filters == ("users.email",)
    assert a[10].limit_bound == "literal"
    assert (a[12].in_list_bounded, a[12].in_fields) == (True, ("postId",))
    assert (a[13].kind, a[13].aggregate) == ("count", "count")
    assert (a[14].kind, a[14].aggregate) == ("aggregate", "sum")
    assert (a[15].aggregate, a[15].has_limit) == ("constant", True)
    assert a[16].kind == "read-one"
    assert (a[17].peeks_next, a[17].range_fields) == (True, ("createdAt",))
    assert a[18].has_limit is None  # handed to a helper this file does not define
    assert a[19].related_filters == ("members.userId",)
    assert a[19].join_keys == (("members.postId", "posts.id"),)
    assert (a[20].kind, a[20].aggregate) == ("aggregate", "group")
    assert (a[21].limit_bound, a[21].limit_floor) == ("clamped", True)


HELPERS = """import { drizzle } from "drizzle-orm/node-postgres";
const db = drizzle(pool);
function page(query, n) {
  return query.limit(n);
}
function noop(query) {
  return query;
}
export async function a() {
  const q = db.select().from(posts).$dynamic();
  return page(q, 20);
}
export async function b() {
  const q = db.select().from(posts).$dynamic();
  return noop(q);
}
export async function c() {
  const q = db.select().from(posts).$dynamic();
  console.log(q);
  return res.json(await q);
}
"""


def test_builder_handed_to_a_helper_of_the_file() -> None:
    a = _by_line(HELPERS)
    assert a[10].has_limit is True  # page() limits its parameter
    assert a[14].has_limit is False  # noop() adds nothing
    assert a[18].has_limit is False  # logged and awaited: rows, not a builder, are handed on


KNEX = """import knex from "knex";
export async function f(req) {
  let q = knex("events").select("*");
  if (req.query.k) q = q.where("kind", req.query.k);
  q = q.where("created_at", ">", req.query.since).limit(Math.min(req.query.n, 100));
  const top = await knex("users").select("id").limit(5);
  const ev = await knex("events").join("users", "events.user_id", "users.id").whereIn("events.user_id", top.map((u) => u.id));
  const byKind = await knex("events").select("kind").count("id").groupBy("kind");
  return q;
}
"""


def test_knex_query_shapes() -> None:
    a = _by_line(KNEX)
    assert (a[3].has_limit, a[3].filter_fields, a[3].range_fields, a[3].limit_bound) == (
        True,
        ("kind", "created_at"),
        ("created_at",),
        "clamped",
    )
    assert a[7].join_keys == (("events.user_id", "users.id"),)
    assert (a[7].in_list_bounded, a[7].in_fields) == (True, ("user_id",))
    assert (a[8].kind, a[8].aggregate) == ("aggregate", "group")


PRISMA = """import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export async function f(where, req) {
  const a = await prisma.post.findMany({ where: { author: { email: req.e }, createdAt: { gte: req.d } }, take: req.n + 1 });
  const b = await prisma.post.findMany({ where });
  const c = await prisma.post.findMany({ where: { tags: { some: { name: "x" } } } });
  const d = await prisma.post.aggregate({ _sum: { views: true } });
  const e = await prisma.post.groupBy({ by: ["status"], _count: true });
  const f = await prisma.post.findMany({ where: { OR: req.ids.map((id) => ({ id })) } });
  return [a, b, c, d, e, f];
}
"""


def test_prisma_query_shapes() -> None:
    a = _by_line(PRISMA)
    assert a[4].related_filters == ("author.email",)
    assert a[4].range_fields == ("createdAt",)
    assert (a[4].peeks_next, a[4].limit_bound) == (True, "param")
    assert a[5].opaque_filter is True
    assert a[6].related_filters == ("tags.name",)
    assert a[7].aggregate == "sum"
    assert a[8].aggregate == "group"
    assert a[9].opaque_filter is True


TYPEORM = """import { In, MoreThan } from "typeorm";
export class S {
  async f(projectId: string, ids: string[]) {
    const qb = this.termRepo
      .createQueryBuilder("term")
      .innerJoin("term.collections", "c", "c.id = :cid", { cid: 1 })
      .leftJoinAndSelect("term.translations", "t")
      .where(`term.${col("projectId")} = :projectId`, { projectId })
      .andWhere("t.value = ''");
    const rows = await qb.getMany();
    const some = await this.termRepo.find({ where: { id: In(ids.slice(0, 20)), createdAt: MoreThan(new Date()) } });
    const grouped = await this.termRepo.createQueryBuilder("term").select("term.status").groupBy("term.status").getRawMany();
    return [rows, some, grouped];
  }
}
"""


def test_typeorm_query_shapes() -> None:
    a = _by_line(TYPEORM)
    qb = a[10]
    assert qb.filter_fields == ("projectId",)
    assert set(qb.related_filters) == {"c.id", "t.value"}
    assert ("term.collections", "c") in qb.join_keys
    assert (a[11].in_list_bounded, a[11].in_fields, a[11].range_fields) == (True, ("id",), ("createdAt",))
    assert (a[12].kind, a[12].aggregate) == ("aggregate", "group")


SEQUELIZE_MONGOOSE = """import { Sequelize } from "sequelize";
import mongoose from "mongoose";
export async function f(req) {
  const a = await Order.findAll({ include: [{ model: Tag, where: { name: req.t } }] });
  const b = await Order.findAll({ include: [{ model: Tag, where: { name: req.t }, required: false }] });
  const c = await Order.findAll({ include: [{ model: Line, separate: true }], limit: 20 });
  const d = await Order.findAll({ attributes: ["status"], group: ["status"] });
  const query = Article.find({ published: true });
  query.limit(20);
  const e = await Article.aggregate([{ $match: { a: 1 } }, { $group: { _id: "$kind" } }]);
  return [a, b, c, d, e, await query.exec()];
}
"""


def test_sequelize_and_mongoose_query_shapes() -> None:
    a = _by_line(SEQUELIZE_MONGOOSE, path="src/a.js")
    assert a[4].related_filters == ("Tag.name",)
    assert a[5].related_filters == ()
    assert a[6].include_strategy == "separate"
    assert (a[7].kind, a[7].aggregate) == ("aggregate", "group")
    assert (a[8].has_limit, a[8].limit_bound) == (True, "literal")
    assert a[10].aggregate == "group"


MISC = """import { createClient } from "@supabase/supabase-js";
const supabase = createClient(url, key);
export async function f(req, cache, prisma, pool) {
  let query = supabase.from("profiles").select("*");
  if (req.team) query = query.eq("team", req.team);
  query = query.range(0, 49);
  const tags = await cache.wrap("tags", () => prisma.tag.findMany());
  const exists = await pool.query("SELECT EXISTS (SELECT FROM information_schema.tables WHERE table_name = 'x')");
  const joined = await pool.query("SELECT p.* FROM posts p JOIN users u ON p.author_id = u.id WHERE u.email = $1 AND p.created_at > $2");
  return [await query, tags, exists, joined];
}
"""


def test_supabase_cache_loader_and_sql_shapes() -> None:
    a = _by_line(MISC)
    assert (a[4].has_limit, a[4].filter_fields) == (True, ("team",))
    assert a[7].in_cache_loader is True
    assert (a[8].aggregate, a[8].has_limit) == ("constant", True)
    assert a[9].join_keys == (("p.author_id", "u.id"),)
    # ``u.email`` filters the joined table: the query is filtered through the join
    assert a[9].filter_fields == ("created_at",)
    assert a[9].related_filters == ("users.email",)
    assert a[9].range_fields == ("created_at",)
