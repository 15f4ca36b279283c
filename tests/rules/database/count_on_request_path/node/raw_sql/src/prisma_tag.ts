import express from "express";
import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();

const app = express();
app.use(express.json());

app.get("/orders/open-count", async (req, res) => {
  // ruleid: SC-DB-017
  const total = await prisma.$queryRaw`SELECT COUNT(*) AS n FROM orders WHERE status = ${String(req.query.status)}`;
  res.json({ total });
});

app.get("/orders/page", async (req, res) => {
  const rows = await prisma.$queryRaw`SELECT id, status FROM orders WHERE status = ${String(req.query.status)} ORDER BY id LIMIT 20 OFFSET ${Number(req.query.offset) || 0}`;
  // ok: SC-DB-017
  const total = await prisma.$queryRaw`SELECT COUNT(*) AS n FROM orders WHERE status = ${String(req.query.status)}`;
  res.json({ rows, total });
});

app.listen(3000);
