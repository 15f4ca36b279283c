import express from "express";
import { prisma } from "./db";
import { startJobs } from "./jobs";

const app = express();
app.use(express.json());

// every request leaves a row behind
app.use(async (req, _res, next) => {
  // ruleid: SC-DB-015
  await prisma.requestLog.create({ data: { path: req.path } });
  next();
});

app.use(trackReferrer);

async function trackReferrer(req: express.Request, _res: express.Response, next: express.NextFunction) {
  if (req.headers.referer) {
    // ruleid: SC-DB-015
    await prisma.referrer.create({ data: { url: req.headers.referer } });
  }
  next();
}

app.get("/posts/:id/related", async (req, res) => {
  // ruleid: SC-DB-015 low
  await prisma.recentlyViewed.create({ data: { userId: Number(req.query.user), postId: Number(req.params.id) } });
  res.json([]);
});

app.get("/posts/:id", async (req, res) => {
  const post = await prisma.post.findUnique({ where: { id: Number(req.params.id) } });
  // ruleid: SC-DB-015
  await prisma.pageView.create({ data: { postId: Number(req.params.id) } });
  res.json(post);
});

app.post("/posts", async (req, res) => {
  // ok: SC-DB-015
  const post = await prisma.post.create({ data: { title: req.body.title } });
  res.status(201).json(post);
});

app.post("/login", async (req, res) => {
  const user = await prisma.user.findUnique({ where: { email: req.body.email } });
  const expiresAt = new Date(Date.now() + 86_400_000);
  // ruleid: SC-DB-015
  const session = await prisma.session.create({ data: { token: crypto.randomUUID(), userId: user!.id, expiresAt } });
  res.json({ token: session.token });
});

app.get("/me", async (req, res) => {
  const session = await prisma.session.findUnique({ where: { token: String(req.headers.authorization) } });
  res.json(session);
});

app.post("/comments", async (req, res) => {
  // ok: SC-DB-015
  await prisma.notification.create({ data: { userId: req.body.authorId, body: "new comment" } });
  res.status(201).end();
});

app.get("/notifications", async (req, res) => {
  const items = await prisma.notification.findMany({ where: { userId: Number(req.query.user) } });
  res.json(items);
});

app.post("/notifications/:id/read", async (req, res) => {
  await prisma.notification.update({ where: { id: Number(req.params.id) }, data: { read: true } });
  res.end();
});

app.post("/posts/:id/publish", async (req, res) => {
  // ok: SC-DB-015
  await prisma.auditLog.create({ data: { action: `publish ${req.params.id}` } });
  res.end();
});

app.post("/projects/:id/events", async (req, res) => {
  // ok: SC-DB-015
  await prisma.apiEvent.create({ data: { projectId: Number(req.params.id) } });
  res.status(202).end();
});

app.delete("/projects/:id", async (req, res) => {
  await prisma.project.delete({ where: { id: Number(req.params.id) } });
  res.status(204).end();
});

app.post("/auth/attempt", async (req, res) => {
  // ok: SC-DB-015
  await prisma.loginAttempt.upsert({
    where: { email: req.body.email },
    create: { email: req.body.email },
    update: { count: { increment: 1 } },
  });
  res.end();
});

app.get("/search", async (req, res) => {
  // ok: SC-DB-015
  await prisma.searchLog.create({ data: { term: String(req.query.q) } });
  res.json([]);
});

app.get("/stats/hit", async (_req, res) => {
  // ok: SC-DB-015
  await prisma.$executeRaw`INSERT INTO "DailyStat" (day, views) VALUES (current_date, 1) ON CONFLICT (day) DO UPDATE SET views = "DailyStat".views + 1`;
  res.end();
});

app.post("/webhooks/stripe", async (req, res) => {
  // ok: SC-DB-015
  await prisma.webhookEvent.create({ data: { payload: JSON.stringify(req.body) } });
  res.end();
});

app.post("/sync", async (_req, res) => {
  // ruleid: SC-DB-015 low
  const log = await prisma.syncLog.create({ data: { status: "running" } });
  await prisma.syncLog.update({ where: { id: log.id }, data: { status: "done" } });
  const last = await prisma.syncLog.findUnique({ where: { id: log.id } });
  res.json(last);
});

startJobs();
app.listen(3000);
