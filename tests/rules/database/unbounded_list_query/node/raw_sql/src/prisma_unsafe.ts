import express from "express";
import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();

const app = express();
app.use(express.json());

app.get("/orders/all", async (req, res) => {
  // ruleid: SC-DB-004
  res.json(await prisma.$queryRawUnsafe("SELECT id, status FROM orders"));
});

app.get("/orders/first", async (req, res) => {
  // ok: SC-DB-004
  res.json(await prisma.$queryRawUnsafe("SELECT id, status FROM orders ORDER BY id LIMIT 50"));
});

app.listen(3000);
