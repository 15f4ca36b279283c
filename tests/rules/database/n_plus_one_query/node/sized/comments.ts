// How big each loop is decides how bad one query per item is (issue 8, item 9).
import { PrismaClient, Role } from "@prisma/client";
import { Router } from "express";
import { orderSchema } from "./schemas";

const prisma = new PrismaClient();
const router = Router();
const PREVIEW = 5;

enum Channel {
  Email,
  Sms,
  Push,
}

router.post("/comments", async (req, res) => {
  const comment = await prisma.comment.create({ data: { body: req.body.body } });
  const mentions = comment.body.match(/@(\w+)/g) ?? [];
  for (const handle of mentions) {
    // ruleid: SC-DB-003 (low: the mentions typed in one comment)
    const user = await prisma.user.findFirst({ where: { username: handle.slice(1) } });
    if (user) await notify(user.id, comment.id);
  }
  for (const word of comment.body.split(" ")) {
    // ruleid: SC-DB-003 (low: the words of one string)
    await prisma.banned.findFirst({ where: { word } });
  }
  res.json(comment);
});

router.post("/import", async (req, res) => {
  const csv: string = req.file.buffer.toString();
  for (const line of csv.split(/\r?\n/)) {
    // ruleid: SC-DB-003 (low: the lines of an upload are not traced as a source, so their size is unknown)
    await prisma.contact.findFirst({ where: { email: line.trim() } });
  }
  res.sendStatus(204);
});

router.post("/orders", async (req, res) => {
  const { lines } = orderSchema.parse(req.body);
  for (const line of lines) {
    // ruleid: SC-DB-003 (low: at most 20 lines, declared in schemas.ts)
    const product = await prisma.product.findFirst({ where: { sku: line.sku } });
    await prisma.orderLine.create({ data: { productId: product!.id, qty: line.qty } });
  }
  res.sendStatus(201);
});

router.post("/carts", async (req, res) => {
  for (const item of req.body.items) {
    // ruleid: SC-DB-003 (low: a request array with no declared maximum, usually a handful of items)
    const product = await prisma.product.findFirst({ where: { sku: item.sku } });
    res.write(JSON.stringify(product));
  }
  res.end();
});

router.get("/lookup", async (req, res) => {
  const ids = String(req.query.ids).split(",");
  // ruleid: SC-DB-003 (low: ids split from one query parameter, not traced as a source)
  const rows = await Promise.all(ids.map((id) => prisma.order.findFirst({ where: { id } })));
  res.json(rows);
});

router.get("/feed", async (_req, res) => {
  const users = await prisma.user.findMany({ take: 50 });
  const out = [];
  for (const user of users) {
    // ruleid: SC-DB-003 (high: the rows of a query, a page of 50)
    out.push(await prisma.post.findMany({ where: { authorId: user.id }, take: 5 }));
  }
  const active = await prisma.user.findMany({ where: { active: true } });
  for (const user of active) {
    // ruleid: SC-DB-003 (high: the rows of a query without a limit)
    out.push(await prisma.post.findMany({ where: { authorId: user.id }, take: 5 }));
  }
  for (const user of users.slice(0, PREVIEW)) {
    // ruleid: SC-DB-003 (low: .slice(0, PREVIEW))
    out.push(await prisma.badge.findMany({ where: { ownerId: user.id } }));
  }
  res.json(out);
});

router.get("/channels", async (_req, res) => {
  const counts = await Promise.all(
    // ruleid: SC-DB-003 (low: the members of an enum)
    Object.values(Channel).map((channel) => prisma.delivery.count({ where: { channel: String(channel) } })),
  );
  const roles = [];
  for (const role of Object.values(Role)) {
    // ruleid: SC-DB-003 (low: the members of a Prisma enum)
    roles.push(await prisma.user.count({ where: { role } }));
  }
  res.json({ counts, roles });
});

router.post("/admin/plans", async (req, res) => {
  res.json(await prisma.plan.create({ data: { name: req.body.name } }));
});

router.get("/pricing", async (_req, res) => {
  const plans = await prisma.plan.findMany();
  const out = [];
  for (const plan of plans) {
    // ruleid: SC-DB-003 (low: plans is a catalog table, filled only by an admin route)
    out.push(await prisma.feature.findMany({ where: { planId: plan.id } }));
  }
  res.json(out);
});

async function notify(userId: string, commentId: string) {
  await prisma.notification.create({ data: { userId, commentId } });
}

export default router;
