import express from "express";
import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();

const app = express();
app.use(express.json());

app.get("/orders/buyers", async (req, res) => {
  const orders = await prisma.$queryRaw`SELECT id, user_id FROM orders ORDER BY id DESC LIMIT 50`;
  const out = [];
  for (const order of orders) {
    // ruleid: SC-DB-003
    out.push(await prisma.$queryRaw`SELECT id, email FROM users WHERE id = ${order.user_id}`);
  }
  res.json(out);
});

app.post("/users/batch", async (req, res) => {
  // ok: SC-DB-003
  res.json(await prisma.$queryRaw`SELECT id, email FROM users WHERE id = ANY(${req.body.ids})`);
});

app.listen(3000);
