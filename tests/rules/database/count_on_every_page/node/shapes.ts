// Counts next to pages: the same list counted on every page fires; a page that fetches one
// extra row, and a count of another (per-object) set, do not.
import express from "express";
import { PrismaClient } from "@prisma/client";
import { drizzle } from "drizzle-orm/node-postgres";
import { eq, sql } from "drizzle-orm";
import { goals } from "./schema";

const prisma = new PrismaClient();
const db = drizzle(process.env.DATABASE_URL!);
const app = express();

app.get("/comments", async (req, res) => {
  const limit = Math.min(Number(req.query.limit) || 20, 100);
  const rows = await prisma.comment.findMany({
    where: { status: "visible" },
    skip: Number(req.query.offset) || 0,
    take: limit + 1,
  });
  // the page peeks one row ahead: the total is not what drives paging
  // ok: SC-DB-005
  const total = await prisma.comment.count({ where: { status: "visible" } });
  res.json({ rows: rows.slice(0, limit), more: rows.length > limit, total });
});

app.get("/posts/:id/comments", async (req, res) => {
  const page = await prisma.comment.findMany({ where: { status: "visible" }, skip: Number(req.query.o), take: 20 });
  // likes of one post: another, per-object set
  // ok: SC-DB-005
  const likes = await prisma.like.count({ where: { postId: req.params.id } });
  // another filter than the page's: a different set
  // ok: SC-DB-005
  const flagged = await prisma.comment.count({ where: { flagged: true } });
  res.json({ page, likes, flagged });
});

app.get("/comments/by-status", async (req, res) => {
  const where = { status: String(req.query.s) };
  const [rows, total] = await Promise.all([
    prisma.comment.findMany({ where: { status: String(req.query.s) }, skip: Number(req.query.o), take: 20 }),
    // the same list, counted on every page
    // ruleid: SC-DB-005
    prisma.comment.count({ where: { status: String(req.query.s) } }),
  ]);
  res.json({ rows, total, where });
});

app.get("/sites/:site/goals", async (req, res) => {
  // ruleid: SC-DB-005 low
  const [{ n }] = await db.select({ n: sql<number>`count(*)` }).from(goals).where(eq(goals.siteId, Number(req.params.site)));
  const rows = await db.select().from(goals).where(eq(goals.siteId, Number(req.params.site))).limit(20).offset(Number(req.query.o));
  res.json({ n, rows });
});

app.get("/posts/:id", async (req, res) => {
  const comments = await prisma.comment.findMany({ where: { postId: req.params.id }, skip: Number(req.query.o), take: 20 });
  // a relation count of the one post shown: no count of the paged list
  // ok: SC-DB-005
  const post = await prisma.post.findUnique({ where: { id: req.params.id }, include: { _count: { select: { comments: true } } } });
  res.json({ post, comments });
});

app.listen(3000);
