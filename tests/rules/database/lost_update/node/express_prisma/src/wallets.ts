import { Router } from "express";
import { prisma } from "./db";

export const wallets = Router();

wallets.post("/pay", async (req, res) => {
  const wallet = await prisma.wallet.findUniqueOrThrow({ where: { userId: req.body.userId } });
  const amount = Number(req.body.amount);
  if (wallet.balance < amount) return res.status(402).json({ error: "insufficient funds" });
  const newBalance = wallet.balance - amount;
  // ok: SC-DB-013
  await prisma.ledgerEntry.create({ data: { walletId: wallet.id, balanceAfter: newBalance } });
  // ruleid: SC-DB-013
  await prisma.wallet.update({ where: { id: wallet.id }, data: { balance: newBalance } });
  res.json({ balance: newBalance });
});

wallets.post("/transfer", async (req, res) => {
  const wallet = await prisma.wallet.findFirstOrThrow({ where: { userId: req.body.userId } });
  // ruleid: SC-DB-013 low
  await prisma.wallet.update({ where: { id: Number(req.body.toWalletId) }, data: { balance: wallet.balance + 10 } });
  res.json({ ok: true });
});

wallets.post("/calls", async (req, res) => {
  const wallet = await prisma.wallet.findUniqueOrThrow({ where: { userId: req.body.userId } });
  if (wallet.apiCalls >= wallet.apiLimit) return res.status(429).json({ error: "quota used up" });
  // ruleid: SC-DB-013
  await prisma.wallet.update({ where: { id: wallet.id }, data: { apiCalls: { increment: 1 } } });
  res.json({ ok: true });
});
