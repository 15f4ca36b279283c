import { Router } from "express";
import { prisma } from "../db";

export const usersRouter = Router();

// served as GET /api/v1/users/:id/posts
usersRouter.get("/:id/posts", async (req, res) => {
  // ruleid: SC-DB-004
  const posts = await prisma.post.findMany({ orderBy: { createdAt: "desc" } });
  res.json(posts);
});
