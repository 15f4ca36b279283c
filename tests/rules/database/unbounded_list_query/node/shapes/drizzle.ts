// Query shapes with Drizzle: builders followed through reassignment and helpers, clamped
// limits, IN lists from bounded results, aggregates and single-row reads.
import express from "express";
import { drizzle } from "drizzle-orm/node-postgres";
import { and, count, eq, inArray, sql, sum } from "drizzle-orm";
import { comments, posts, users } from "./schema";

const db = drizzle(process.env.DATABASE_URL!);
const app = express();

app.get("/posts", async (req, res) => {
  // the builder is refined and clamped before it runs
  // ok: SC-DB-004
  let q = db.select().from(posts).$dynamic();
  if (req.query.author) q = q.where(eq(posts.authorId, String(req.query.author)));
  q = q.limit(Math.min(Number(req.query.n) || 20, 100));
  res.json(await q);
});

app.get("/posts/all", async (req, res) => {
  // refined, never limited
  // ruleid: SC-DB-004 low
  let q = db.select().from(posts).$dynamic();
  if (req.query.author) q = q.where(eq(posts.authorId, String(req.query.author)));
  res.json(await q);
});

function withPage<T extends { limit(n: number): T }>(query: T, size: number): T {
  return query.limit(Math.min(size, 50));
}

app.get("/posts/paged", async (req, res) => {
  // a helper of this file adds the limit
  // ok: SC-DB-004
  const q = db.select().from(posts).$dynamic();
  res.json(await withPage(q, Number(req.query.size)));
});

app.get("/posts/top/comments", async (req, res) => {
  const top = await db.select({ id: posts.id }).from(posts).orderBy(posts.createdAt).limit(10);
  const ids = top.map((p) => p.id);
  // the IN list holds the ids of ten posts
  // ok: SC-DB-004
  const rows = await db.select().from(comments).where(inArray(comments.status, ids));
  res.json(rows);
});

app.get("/posts/every/comments", async (req, res) => {
  // ruleid: SC-DB-004 low
  const every = await db.select({ id: posts.id }).from(posts);
  // ruleid: SC-DB-004 low
  const all = await db.select().from(posts).where(inArray(posts.status, every.map((p) => p.id)));
  res.json(all);
});

app.get("/stats", async (req, res) => {
  // ok: SC-DB-004
  const [{ views }] = await db.select({ views: sum(posts.views) }).from(posts);
  // ok: SC-DB-004
  const [{ n }] = await db.select({ n: sql<number>`count(*)` }).from(posts);
  // ok: SC-DB-004
  const [{ c }] = await db.select({ c: count() }).from(users);
  // one row per status
  // ok: SC-DB-004
  const byStatus = await db.select({ status: posts.status, n: count() }).from(posts).groupBy(posts.status);
  res.json({ views, n, c, byStatus });
});

app.get("/health", async (req, res) => {
  // ok: SC-DB-004
  await db.execute(sql`SELECT 1`);
  res.send("ok");
});

app.get("/posts/by-slug/:slug", async (req, res) => {
  // a single-row read (SQLite drivers' .get())
  // ok: SC-DB-004
  const post = await db.select().from(posts).where(eq(posts.slug, req.params.slug)).get();
  res.json(post);
});

app.get("/users/with-posts", async (req, res) => {
  // the join key is not a filter: the whole users table, joined
  // ruleid: SC-DB-004 low
  const rows = await db.select().from(users).leftJoin(posts, eq(posts.authorId, users.id));
  res.json(rows);
});

app.listen(3000);

app.get("/posts/clamped", async (req, res) => {
  // PostgreSQL rejects a negative LIMIT: no note about the missing lower bound
  // ok: SC-DB-004
  res.json(await db.select().from(posts).limit(Math.min(Number(req.query.n), 100)));
});
