import express from "express";
import { PrismaClient } from "@prisma/client";
import { cache } from "./cache";

const app = express();
const prisma = new PrismaClient();
const MAX_SEATS = 200;

app.post("/invoices", async (req, res) => {
  // the next invoice number from a count of the whole table
  // ruleid: SC-DB-017
  const n = await prisma.invoice.count();
  const invoice = await prisma.invoice.create({
    data: { number: `INV-${n + 1}`, userId: req.body.userId, total: req.body.total, status: "open" },
  });
  res.status(201).json(invoice);
});

app.post("/projects", async (req, res) => {
  const plan = await prisma.plan.findUnique({ where: { id: req.body.planId } });
  // one owner's projects, through the indexed foreign key: cheap, but the check races
  // ruleid: SC-DB-017 low
  if ((await prisma.project.count({ where: { ownerId: req.body.ownerId } })) >= plan!.maxProjects) {
    return res.status(403).json({ error: "limit" });
  }
  res.json(await prisma.project.create({ data: { name: req.body.name, ownerId: req.body.ownerId } }));
});

app.post("/events/:id/tickets", async (req, res) => {
  const seat = await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${req.params.id}))`;
    // serialised by the advisory lock, but the count still scans the table
    // ruleid: SC-DB-017
    const taken = await tx.seat.count({ where: { eventId: req.params.id } });
    if (taken >= MAX_SEATS) return null;
    return tx.seat.create({ data: { eventId: req.params.id, holder: req.body.name } });
  });
  res.json(seat);
});

app.post("/events/:id/seats", async (req, res) => {
  // seats of one event by an unindexed, non-key column: the whole table is scanned
  // ruleid: SC-DB-017
  const taken = await prisma.seat.count({ where: { eventId: req.params.id } });
  if (taken >= MAX_SEATS) return res.status(409).json({ error: "sold out" });
  res.json(await prisma.seat.create({ data: { eventId: req.params.id, holder: req.body.name } }));
});

app.get("/admin/open-invoices", async (_req, res) => {
  // a figure for a badge over every user's invoices
  // ruleid: SC-DB-017
  const open = await prisma.invoice.count({ where: { status: "open" } });
  res.json({ open });
});

app.get("/me/unread", async (req, res) => {
  // one user's unread notifications through the indexed foreign key: cheap
  // ok: SC-DB-017
  const unread = await prisma.notification.count({ where: { userId: String(req.query.user), read: false } });
  res.json({ unread });
});

app.post("/notifications", async (req, res) => {
  res.json(await prisma.notification.create({ data: { userId: req.body.userId, body: req.body.body } }));
});

app.get("/invoices", async (req, res) => {
  const page = Number(req.query.page ?? 0);
  const items = await prisma.invoice.findMany({ skip: page * 20, take: 20 });
  // the page's total: SC-DB-005's case, not this rule's
  // ok: SC-DB-017
  const total = await prisma.invoice.count();
  res.json({ items, total });
});

app.get("/projects/any", async (req, res) => {
  // an existence test, not a figure
  // ok: SC-DB-017
  const some = (await prisma.invoice.count({ where: { status: "late" } })) > 0;
  res.json({ some });
});

app.get("/plans/count", async (_req, res) => {
  // a catalog table (written only by the seed script)
  // ok: SC-DB-017
  const plans = await prisma.plan.count();
  res.json({ plans });
});

app.get("/stats/invoices", async (_req, res) => {
  // cached: counted on a miss, not per request
  const total = await cache.wrap("invoices", async () => {
    // ok: SC-DB-017
    return prisma.invoice.count();
  });
  res.json({ total });
});

app.post("/articles", async (req, res) => {
  res.json(await prisma.article.create({ data: { title: req.body.title } }));
});

app.get("/articles/state", async (req, res) => {
  // a count that only feeds a log line
  // ok: SC-DB-017
  const drafts = await prisma.article.count({ where: { published: false } });
  console.log(`drafts: ${drafts}`);
  res.json({ ok: true });
});

app.post("/comments", async (req, res) => {
  res.json(await prisma.comment.create({ data: { recordId: req.body.recordId, body: req.body.body } }));
});

app.get("/records/:id/comments/count", async (req, res) => {
  // one record's comments by an indexed key column (no relation declared): cheap
  // ok: SC-DB-017
  const comments = await prisma.comment.count({ where: { recordId: req.params.id } });
  res.json({ comments });
});

app.get("/accounts/:id/items-today", async (req, res) => {
  // one account's items, through the relation's owner key: cheap
  // ok: SC-DB-017
  const n = await prisma.invoiceItem.count({ where: { invoice: { userId: req.params.id } } });
  res.json({ n });
});

app.get("/calendars/complete", async (req, res) => {
  const fetched: string[] = await fetchCalendars();
  // compared with the size of a list in memory, not a limit
  // ok: SC-DB-017
  const connected = await prisma.seat.count({ where: { holder: String(req.query.holder) } });
  res.json({ complete: fetched.length >= connected });
});

app.get("/events/:id/views", async (req, res) => {
  const where = { eventId: req.params.id, ...(req.query.kind ? { holder: String(req.query.kind) } : {}) };
  // a filter the scan cannot read: low
  // ruleid: SC-DB-017 low
  const views = await prisma.seat.count({ where });
  res.json({ views });
});

async function fetchCalendars(): Promise<string[]> {
  return [];
}

export default app;
