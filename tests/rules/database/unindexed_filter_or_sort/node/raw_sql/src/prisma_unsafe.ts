import express from "express";
import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();

const app = express();
app.use(express.json());

app.get("/orders/by-status", async (req, res) => {
  // ruleid: SC-DB-006
  res.json(await prisma.$queryRawUnsafe("SELECT id, status FROM orders WHERE status = $1 ORDER BY id LIMIT 20", String(req.query.status)));
});

app.get("/orders/mine", async (req, res) => {
  // ok: SC-DB-006
  res.json(await prisma.$queryRawUnsafe("SELECT id, status FROM orders WHERE user_id = $1 ORDER BY id LIMIT 20", Number(req.query.user)));
});

app.listen(3000);
