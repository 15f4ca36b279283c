import express from "express";
import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();

const app = express();
app.use(express.json());

app.get("/orders/search", async (req, res) => {
  // ruleid: SC-DB-014
  res.json(await prisma.$queryRawUnsafe("SELECT id FROM orders WHERE note ILIKE '%' || $1 || '%' LIMIT 20", String(req.query.q)));
});

app.get("/orders/search-bound", async (req, res) => {
  // ruleid: SC-DB-014
  res.json(await prisma.$queryRawUnsafe("SELECT id FROM orders WHERE note ILIKE $1 LIMIT 20", `%${req.query.q}%`));
});

app.get("/orders/search-title", async (req, res) => {
  // ok: SC-DB-014
  res.json(await prisma.$queryRawUnsafe("SELECT id FROM orders WHERE title ILIKE '%' || $1 || '%' LIMIT 20", String(req.query.q)));
});

app.get("/orders/search-prefix", async (req, res) => {
  // ok: SC-DB-014
  res.json(await prisma.$queryRawUnsafe("SELECT id FROM orders WHERE note ILIKE $1 LIMIT 20", `${req.query.q}%`));
});

app.listen(3000);
