import express from "express";
import { PrismaClient } from "@prisma/client";
import { Pool } from "pg";

const app = express();
const prisma = new PrismaClient();
const pool = new Pool();

app.get("/orders", async (req, res) => {
  // ruleid: SC-DB-004
  const orders = await prisma.order.findMany({ where: { status: "open" }, orderBy: { id: "desc" } });
  res.json(orders);
});

app.get("/orders/page", async (req, res) => {
  // ok: SC-DB-004
  const orders = await prisma.order.findMany({ take: 50, orderBy: { id: "desc" } });
  res.json(orders);
});

app.get("/orders/:id", async (req, res) => {
  // ok: SC-DB-004
  const order = await prisma.order.findUnique({ where: { id: req.params.id } });
  res.json(order);
});

app.post("/orders/lookup", async (req, res) => {
  // bounded by the ids the client sends
  // ok: SC-DB-004
  const orders = await prisma.order.findMany({ where: { id: { in: req.body.ids } } });
  res.json(orders);
});

app.get("/countries", async (req, res) => {
  // ruleid: SC-DB-004
  const { rows } = await pool.query("SELECT * FROM countries ORDER BY name");
  res.json(rows);
});

app.get("/stats", async (req, res) => {
  // ok: SC-DB-004
  const { rows } = await pool.query("SELECT count(*) FROM orders");
  res.json(rows[0]);
});

export default app;

// the routers of links.ts and tree.ts are served by this app
import { links } from "./links";
import { tree } from "./tree";

app.use("/links", links);
app.use("/tree", tree);
