import express from "express";
import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();

const app = express();
app.use(express.json());

app.get("/orders/open-count", async (req, res) => {
  // ruleid: SC-DB-017
  const total = await prisma.$queryRawUnsafe("SELECT COUNT(*) AS n FROM orders WHERE status = $1", String(req.query.status));
  res.json({ total });
});

app.get("/orders/page", async (req, res) => {
  const rows = await prisma.$queryRawUnsafe("SELECT id, status FROM orders WHERE status = $1 ORDER BY id LIMIT 20 OFFSET $2", String(req.query.status), Number(req.query.offset) || 0);
  // ok: SC-DB-017
  const total = await prisma.$queryRawUnsafe("SELECT COUNT(*) AS n FROM orders WHERE status = $1", String(req.query.status));
  res.json({ rows, total });
});

app.listen(3000);
