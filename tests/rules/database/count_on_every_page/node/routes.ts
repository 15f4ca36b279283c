import { Router } from "express";
import { PrismaClient } from "@prisma/client";
import { Article } from "./models";

const router = Router();
const prisma = new PrismaClient();

router.get("/articles", async (req, res) => {
  const page = Number(req.query.page ?? 0);
  const [items, total] = await Promise.all([
    prisma.article.findMany({ skip: page * 20, take: 20, orderBy: { id: "desc" } }),
    // ruleid: SC-DB-005
    prisma.article.count(),
  ]);
  res.json({ items, total });
});

router.get("/feed", async (req, res) => {
  // cursor pagination, no total
  // ok: SC-DB-005
  const items = await prisma.article.findMany({ take: 20, cursor: { id: String(req.query.after) }, skip: 1 });
  res.json({ items });
});

router.get("/dashboard", async (req, res) => {
  const latest = await prisma.article.findMany({ take: 5, orderBy: { id: "desc" } });
  // not paginated: a single dashboard count
  // ok: SC-DB-005
  const drafts = await prisma.article.count({ where: { published: false } });
  res.json({ latest, drafts });
});

export default router;
