import express from "express";

import { ds, pool, prisma, qb } from "./clients";
import { db, ordersDb } from "./drizzled";
import { appPool, report } from "./handed";

// the routes that use the clients of this folder: their pools serve user requests
const app = express();
app.get("/orders/:id", async (req, res) => {
  res.json(await prisma.order.findUnique({ where: { id: req.params.id } }));
});
app.get("/stats", async (_req, res) => {
  const { rows } = await pool.query("SELECT count(*) FROM orders");
  res.json({ orders: rows[0], items: await qb("items").count(), users: await ds.query("SELECT 1") });
});
app.get("/report", async (_req, res) => {
  res.json({ report: await report(), open: (await appPool.query("SELECT 1")).rows });
});
app.get("/ping-db", async (_req, res) => res.json(await db.execute("SELECT 1")));
app.get("/orders", async (_req, res) => res.json(await ordersDb.execute("SELECT id FROM orders LIMIT 20")));
app.listen(3001);
