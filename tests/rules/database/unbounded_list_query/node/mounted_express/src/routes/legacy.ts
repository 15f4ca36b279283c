import { Router } from "express";
import { prisma } from "../db";

// the same handler on a router that no file mounts: it serves no traffic
export const legacyRouter = Router();

legacyRouter.get("/posts", async (req, res) => {
  // ok: SC-DB-004
  const posts = await prisma.post.findMany({ orderBy: { createdAt: "desc" } });
  res.json(posts);
});
