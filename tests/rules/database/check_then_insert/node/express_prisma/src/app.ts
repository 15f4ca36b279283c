import express from "express";
import { Prisma } from "@prisma/client";
import { prisma } from "./db";

const app = express();
app.use(express.json());

app.post("/signup", async (req, res) => {
  const { email, name } = req.body;
  const existing = await prisma.user.findFirst({ where: { email } });
  if (existing) {
    return res.status(409).json({ error: "email taken" });
  }
  // ruleid: SC-DB-018
  const user = await prisma.user.create({ data: { email, name } });
  res.status(201).json(user);
});

app.post("/signup-dto", async (req, res) => {
  const dto = req.body;
  if (await prisma.user.findFirst({ where: { email: dto.email } })) throw new Error("taken");
  // ruleid: SC-DB-018
  await prisma.user.create({ data: { ...dto, name: dto.name.trim() } });
  res.sendStatus(201);
});

app.post("/tags", async (req, res) => {
  const slug = String(req.body.slug);
  const count = await prisma.tag.count({ where: { slug } });
  if (count === 0) {
    // ruleid: SC-DB-018
    await prisma.tag.create({ data: { slug } });
  }
  res.sendStatus(204);
});

app.post("/accounts", async (req, res) => {
  const { email, name } = req.body;
  const existing = await prisma.account.findUnique({ where: { email } });
  if (existing) return res.status(409).end();
  // ok: SC-DB-018
  await prisma.account.create({ data: { email, name } });
  res.sendStatus(201);
});

app.post("/events/:id/seats", async (req, res) => {
  const eventId = Number(req.params.id);
  const userId = Number(req.body.userId);
  const taken = await prisma.seat.findFirst({ where: { eventId, userId } });
  if (taken) return res.status(409).end();
  // ok: SC-DB-018
  await prisma.seat.create({ data: { eventId, userId } });
  res.sendStatus(201);
});

app.post("/signup-upsert", async (req, res) => {
  const { email, name } = req.body;
  const existing = await prisma.user.findFirst({ where: { email } });
  if (existing) return res.status(409).end();
  // ok: SC-DB-018
  await prisma.user.upsert({ where: { id: 0 }, create: { email, name }, update: {} });
  res.sendStatus(201);
});

app.post("/signup-locked", async (req, res) => {
  const { email, name } = req.body;
  await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${email}))`;
    const existing = await tx.user.findFirst({ where: { email } });
    if (existing) throw new Error("taken");
    // ok: SC-DB-018
    await tx.user.create({ data: { email, name } });
  });
  res.sendStatus(201);
});

app.post("/signup-serializable", async (req, res) => {
  const { email, name } = req.body;
  await prisma.$transaction(
    async (tx) => {
      const existing = await tx.user.findFirst({ where: { email } });
      if (existing) throw new Error("taken");
      // ok: SC-DB-018
      await tx.user.create({ data: { email, name } });
    },
    { isolationLevel: Prisma.TransactionIsolationLevel.Serializable },
  );
  res.sendStatus(201);
});

app.post("/teams/:id/members", async (req, res) => {
  const teamId = Number(req.params.id);
  const email = String(req.body.email);
  const invite = await prisma.invite.findFirst({ where: { email, teamId } });
  if (!invite) return res.status(404).end();
  // ok: SC-DB-018
  await prisma.member.create({ data: { email, teamId } });
  res.sendStatus(201);
});

app.post("/users/:id/rename", async (req, res) => {
  const name = String(req.body.name);
  const clash = await prisma.user.findFirst({ where: { name } });
  if (clash && clash.id !== Number(req.params.id)) return res.status(409).end();
  // ok: SC-DB-018
  await prisma.user.create({ data: { email: req.body.email, name } });
  res.sendStatus(201);
});

app.post("/admin/users", async (req, res) => {
  const { email, name } = req.body;
  const existing = await prisma.user.findUnique({ where: { email } });
  if (existing) return res.status(409).end();
  // ruleid: SC-DB-018 low
  await prisma.user.create({ data: { email, name } });
  res.sendStatus(201);
});

app.post("/teams/:id/default-invites", async (req, res) => {
  const teamId = Number(req.params.id);
  const any = await prisma.invite.findFirst({ where: { teamId } });
  if (any) return res.status(409).end();
  for (const email of ["owner@example.com", "billing@example.com"]) {
    // ok: SC-DB-018
    await prisma.invite.create({ data: { teamId, email } });
  }
  res.sendStatus(201);
});

app.listen(3000);
