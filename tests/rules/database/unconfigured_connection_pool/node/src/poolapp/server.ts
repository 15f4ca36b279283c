import express from "express";
import {
  cancel,
  getAnalytics,
  getWrite,
  regionPool,
  report,
  requestContext,
  resetDatabase,
  scratchPool,
  tenantPool,
} from "./pools";

const app = express();

app.get("/orders", async (_req, res) => {
  res.json((await getWrite().query("SELECT * FROM orders LIMIT 20")).rows);
});

app.get("/report", async (_req, res) => {
  res.json(await report());
});

app.post("/queries/:pid/cancel", async (req, res) => {
  await cancel(Number(req.params.pid));
  res.sendStatus(204);
});

app.post("/admin/db/reset", async (_req, res) => {
  await resetDatabase(process.env.DATABASE_URL ?? "");
  res.sendStatus(204);
});

app.get("/context", async (_req, res) => {
  const { db } = await requestContext();
  res.json((await db.query("SELECT 1")).rows);
});

app.get("/analytics", async (_req, res) => {
  res.json((await getAnalytics().query("SELECT 1")).rows);
});

app.get("/tenants/:tenant", async (req, res) => {
  const db = tenantPool(req.params.tenant);
  res.json((await db.query("SELECT 1")).rows);
});

app.get("/regions/:region", async (req, res) => {
  const db = regionPool(req.params.region);
  res.json((await db.query("SELECT 1")).rows);
});

app.get("/scratch", async (req, res) => {
  const db = scratchPool();
  res.json((await db.query("SELECT 1")).rows);
});

app.listen(3000);
