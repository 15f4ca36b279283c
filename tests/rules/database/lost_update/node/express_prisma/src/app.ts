import express from "express";
import { Prisma } from "@prisma/client";
import { prisma } from "./db";
import { wallets } from "./wallets";

const app = express();
app.use(express.json());
app.use("/wallets", wallets);

app.post("/products/:id/buy", async (req, res) => {
  const id = Number(req.params.id);
  const qty = Number(req.body.qty);
  const product = await prisma.product.findUnique({ where: { id } });
  if (!product) return res.sendStatus(404);
  // ruleid: SC-DB-013
  await prisma.product.update({ where: { id }, data: { stock: product.stock - qty } });
  res.json({ ok: true });
});

app.post("/products/:id/restock", async (req, res) => {
  const product = await prisma.product.findUniqueOrThrow({ where: { id: Number(req.params.id) } });
  const stock = product.stock + Number(req.body.qty);
  // ruleid: SC-DB-013
  await prisma.product.update({ where: { id: product.id }, data: { stock } });
  res.json({ stock });
});

app.post("/products/:id/reserve", async (req, res) => {
  const id = Number(req.params.id);
  const qty = Number(req.body.qty);
  const product = await prisma.product.findUnique({ where: { id } });
  if (!product || product.stock < qty) return res.status(409).json({ error: "out of stock" });
  // ruleid: SC-DB-013
  await prisma.product.update({ where: { id }, data: { stock: { decrement: qty } } });
  res.json({ ok: true });
});

app.post("/products/:id/reserve-guarded", async (req, res) => {
  const id = Number(req.params.id);
  const qty = Number(req.body.qty);
  const product = await prisma.product.findUnique({ where: { id } });
  if (!product || product.stock < qty) return res.status(409).json({ error: "out of stock" });
  // ok: SC-DB-013
  const { count } = await prisma.product.updateMany({ where: { id, stock: { gte: qty } }, data: { stock: { decrement: qty } } });
  res.json({ ok: count === 1 });
});

app.post("/products/:id/sell", async (req, res) => {
  // ok: SC-DB-013
  await prisma.product.update({ where: { id: Number(req.params.id) }, data: { stock: { decrement: 1 } } });
  res.json({ ok: true });
});

app.post("/products/:id/buy-locked", async (req, res) => {
  const id = Number(req.params.id);
  const qty = Number(req.body.qty);
  await prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Product" WHERE id = ${id} FOR UPDATE`;
    const product = await tx.product.findUniqueOrThrow({ where: { id } });
    // ok: SC-DB-013
    await tx.product.update({ where: { id }, data: { stock: product.stock - qty } });
  });
  res.json({ ok: true });
});

app.post("/products/:id/buy-serializable", async (req, res) => {
  const id = Number(req.params.id);
  await prisma.$transaction(
    async (tx) => {
      const product = await tx.product.findUniqueOrThrow({ where: { id } });
      // ok: SC-DB-013
      await tx.product.update({ where: { id }, data: { stock: product.stock - 1 } });
    },
    { isolationLevel: Prisma.TransactionIsolationLevel.Serializable },
  );
  res.json({ ok: true });
});

app.post("/products/:id/buy-in-transaction", async (req, res) => {
  const id = Number(req.params.id);
  await prisma.$transaction(async (tx) => {
    const product = await tx.product.findUniqueOrThrow({ where: { id } });
    // ruleid: SC-DB-013
    await tx.product.update({ where: { id }, data: { stock: product.stock - 1 } });
  });
  res.json({ ok: true });
});

app.post("/products/:id/buy-optimistic", async (req, res) => {
  const id = Number(req.params.id);
  const product = await prisma.product.findUniqueOrThrow({ where: { id } });
  // ok: SC-DB-013
  const { count } = await prisma.product.updateMany({
    where: { id, version: product.version },
    data: { stock: product.stock - 1, version: { increment: 1 } },
  });
  res.json({ ok: count === 1 });
});

app.post("/products/:id/rename", async (req, res) => {
  const product = await prisma.product.findUniqueOrThrow({ where: { id: Number(req.params.id) } });
  // ok: SC-DB-013
  await prisma.product.update({ where: { id: product.id }, data: { name: product.name + " (copy)" } });
  res.json({ ok: true });
});

app.put("/products/:id/stock", async (req, res) => {
  const product = await prisma.product.findUniqueOrThrow({ where: { id: Number(req.params.id) } });
  // ok: SC-DB-013
  await prisma.product.update({ where: { id: product.id }, data: { stock: Number(req.body.stock) } });
  res.json({ ok: true });
});

app.get("/posts/:id", async (req, res) => {
  const post = await prisma.post.findUniqueOrThrow({ where: { id: Number(req.params.id) } });
  // ruleid: SC-DB-013
  await prisma.post.update({ where: { id: post.id }, data: { views: post.views + 1 } });
  res.json(post);
});

app.get("/posts/:id/seen", async (req, res) => {
  // ok: SC-DB-013
  const post = await prisma.post.update({ where: { id: Number(req.params.id) }, data: { views: { increment: 1 } } });
  res.json(post);
});

app.post("/orders/:id/pay", async (req, res) => {
  const wallet = await prisma.wallet.findUniqueOrThrow({ where: { userId: Number(req.body.userId) } });
  // ok: SC-DB-013
  const { count } = await prisma.wallet.updateMany({
    where: { id: wallet.id, status: "ACTIVE" },
    data: { balance: wallet.balance - 5, status: "CHARGED" },
  });
  res.json({ ok: count === 1 });
});

app.post("/products/:id/buy-with-lock", async (req, res) => {
  const id = Number(req.params.id);
  await withProductLock(id, async () => {
    const product = await prisma.product.findUniqueOrThrow({ where: { id } });
    // ok: SC-DB-013
    await prisma.product.update({ where: { id }, data: { stock: product.stock - 1 } });
  });
  res.json({ ok: true });
});

app.post("/admin/products/:id/adjust", async (req, res) => {
  const product = await prisma.product.findUniqueOrThrow({ where: { id: Number(req.params.id) } });
  // ruleid: SC-DB-013 low
  await prisma.product.update({ where: { id: product.id }, data: { stock: product.stock + Number(req.body.delta) } });
  res.json({ ok: true });
});

app.post("/items/:id/move-to-end", async (req, res) => {
  const last = await prisma.item.findFirst({ where: { listId: Number(req.body.listId) }, orderBy: { position: "desc" } });
  // ok: SC-DB-013
  await prisma.item.update({ where: { id: Number(req.params.id) }, data: { position: (last?.position ?? 0) + 1 } });
  res.json({ ok: true });
});

async function withProductLock(id: number, run: () => Promise<void>) {
  await prisma.$executeRaw`SELECT pg_advisory_xact_lock(${id})`;
  await run();
}

app.listen(3000);
