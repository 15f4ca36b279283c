import express from "express";
import { Prisma, PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();

const app = express();
app.use(express.json());

app.get("/orders/page", async (req, res) => {
  const rows = await prisma.$queryRaw(Prisma.sql`SELECT id, status FROM orders ORDER BY id LIMIT 20 OFFSET ${Number(req.query.offset) || 0}`);
  // ruleid: SC-DB-005
  const total = await prisma.$queryRaw(Prisma.sql`SELECT COUNT(*) AS n FROM orders`);
  res.json({ rows, total });
});

app.get("/orders/page-users", async (req, res) => {
  const rows = await prisma.$queryRaw(Prisma.sql`SELECT id, status FROM orders ORDER BY id LIMIT 20 OFFSET ${Number(req.query.offset) || 0}`);
  // ok: SC-DB-005
  const users = await prisma.$queryRaw(Prisma.sql`SELECT COUNT(*) AS n FROM users`);
  res.json({ rows, users });
});

app.listen(3000);
