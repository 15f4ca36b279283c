import express from "express";
import { PrismaClient } from "@prisma/client";
import { cache } from "./cache";
import { backoffice } from "./backoffice";
import { links } from "./links";
import { server } from "./schema";

const prisma = new PrismaClient();
const app = express();

app.get("/posts/:id", async (req, res) => {
  // a view counter: every page view is a write to the post's row
  // ruleid: SC-DB-011 (high)
  const post = await prisma.post.update({ where: { id: req.params.id }, data: { views: { increment: 1 } } });
  res.json(post);
});

async function touchLastSeen(userId: string) {
  // ruleid: SC-DB-011 (low)
  await prisma.user.update({ where: { id: userId }, data: { lastSeenAt: new Date() } });
}

app.get("/me", async (req: any, res) => {
  await touchLastSeen(req.user.id);
  res.json(req.user);
});

app.get("/profile/:id", async (req, res) => {
  // ok: SC-DB-011
  const profile = await prisma.profile.findUnique({ where: { userId: req.params.id } });
  if (!profile) {
    // created once, on the first visit only
    // ok: SC-DB-011
    await prisma.profile.create({ data: { userId: req.params.id } });
  }
  res.json(profile);
});

app.get("/stats", async (_req, res) => {
  const stats = await cache.wrap("stats", async () => {
    // ok: SC-DB-011
    await prisma.statsRun.create({ data: { at: new Date() } });
    return prisma.order.count();
  });
  res.json(stats);
});

app.post("/posts", async (req, res) => {
  // ok: SC-DB-011
  const post = await prisma.post.create({ data: req.body });
  res.status(201).json(post);
});

app.use("/backoffice", backoffice);
app.use(links);
server.start();

app.listen(3000);
