import { Router } from "express";
import { prisma } from "./db";

export const router = Router();

router.get("/authors/:id/posts", async (req, res) => {
  // Prisma does not index foreign keys on PostgreSQL
  // ruleid: SC-DB-006 low
  const posts = await prisma.post.findMany({ where: { authorId: Number(req.params.id) }, take: 20 });
  res.json(posts);
});

router.get("/posts/latest", async (req, res) => {
  // ok: SC-DB-006
  const post = await prisma.post.findFirst({ orderBy: { createdAt: "desc" } });
  res.json(post);
});

router.get("/posts/top", async (req, res) => {
  // ruleid: SC-DB-006 low
  const post = await prisma.post.findFirst({ orderBy: { title: "asc" } });
  res.json(post);
});

router.get("/posts/by-author-name", async (req, res) => {
  // a filter through a relation is a join, not a column of Post
  // ok: SC-DB-006
  const posts = await prisma.post.findMany({ where: { author: { handle: String(req.query.h) } }, take: 20 });
  res.json(posts);
});

router.get("/posts/published", async (req, res) => {
  // only a boolean: an index alone barely narrows it (low, with the partial-index advice)
  // ruleid: SC-DB-006 low
  const posts = await prisma.post.findMany({ where: { published: true }, take: 20 });
  res.json(posts);
});

router.get("/posts/search", async (req, res) => {
  const where = { authorId: Number(req.query.author) };
  // the filter is a variable: only the sort is visible
  // ok: SC-DB-006
  const posts = await prisma.post.findMany({ where, orderBy: { title: "asc" }, take: 20 });
  res.json(posts);
});

router.get("/audit", async (req, res) => {
  // AuditLog has no schema in this project: nothing is known about its indexes
  // ok: SC-DB-006
  const rows = await prisma.auditLog.findMany({ where: { action: "login" }, take: 20 });
  res.json(rows);
});
