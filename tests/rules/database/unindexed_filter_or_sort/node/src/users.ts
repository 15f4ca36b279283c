import express from "express";
import { prisma } from "./db";
import { feed } from "./feed";
import { shapes } from "./shapes";

const app = express();
app.use(shapes);
app.use(feed);

app.get("/users/by-email", async (req, res) => {
  const email = String(req.query.email);
  // ruleid: SC-DB-006
  const users = await prisma.user.findMany({ where: { email }, take: 20 });
  res.json(users);
});

app.get("/users/:handle", async (req, res) => {
  // ok: SC-DB-006
  const user = await prisma.user.findFirst({ where: { handle: req.params.handle } });
  res.json(user);
});

app.get("/teams/:id/users", async (req, res) => {
  // ok: SC-DB-006
  const users = await prisma.user.findMany({ where: { teamId: Number(req.params.id), status: "active" }, take: 50 });
  res.json(users);
});

app.get("/users/active", async (req, res) => {
  // createdAt is only the second column of @@index([teamId, createdAt])
  // ruleid: SC-DB-006
  const users = await prisma.user.findMany({ where: { createdAt: { gte: new Date(0) } }, take: 50 });
  res.json(users);
});

app.get("/users/:id", async (req, res) => {
  // ok: SC-DB-006
  const user = await prisma.user.findUnique({ where: { id: Number(req.params.id) } });
  res.json(user);
});

export default app;
