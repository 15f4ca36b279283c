import express from "express";
import knexFactory from "knex";
import { Pool } from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import { eq, lt } from "drizzle-orm";
import { Account, ApiToken, UsageEvent, LoginEvent, OneTimeCode } from "./sequelize";
import { accounts, auditTrail, exportLogs } from "./schema";

const app = express();
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const knex = knexFactory({ client: "pg", connection: process.env.DATABASE_URL });
const db = drizzle(pool);

app.post("/login", async (req, res) => {
  // ruleid: SC-DB-015
  await LoginEvent.create({ accountId: req.body.accountId, ip: req.ip });
  res.end();
});

app.post("/codes", async (req, res) => {
  // ok: SC-DB-015
  await OneTimeCode.create({ code: req.body.code, expiresAt: new Date(Date.now() + 600_000) });
  res.end();
});

app.post("/codes/verify", async (req, res) => {
  const found = await OneTimeCode.findOne({ where: { code: req.body.code } });
  await found.destroy();
  res.end();
});

app.post("/tokens", async (req, res) => {
  // ok: SC-DB-015
  await ApiToken.create({ value: req.body.value, expiresAt: req.body.expiresAt });
  res.end();
});

app.post("/usage", async (req, res) => {
  // ok: SC-DB-015
  await UsageEvent.create({ accountId: req.body.accountId, units: req.body.units });
  res.end();
});

app.delete("/accounts/:id", async (req, res) => {
  await Account.destroy({ where: { id: req.params.id } });
  await db.delete(accounts).where(eq(accounts.id, Number(req.params.id)));
  res.end();
});

app.post("/exports", async (req, res) => {
  // ok: SC-DB-015
  await db.insert(exportLogs).values({ accountId: req.body.accountId });
  res.end();
});

app.post("/actions", async (req, res) => {
  // ruleid: SC-DB-015 low
  await db.insert(auditTrail).values({ action: req.body.action });
  res.end();
});

app.get("/search", async (req, res) => {
  // ruleid: SC-DB-015
  await knex("search_logs").insert({ term: req.query.q, created_at: new Date() });
  res.json([]);
});

app.get("/feed", async (req, res) => {
  // ruleid: SC-DB-015
  await pool.query("INSERT INTO feed_impressions (account_id, seen_at) VALUES ($1, now())", [req.query.account]);
  res.json([]);
});

app.post("/webhooks", async (req, res) => {
  // ok: SC-DB-015
  await pool.query("INSERT INTO webhook_logs (body) VALUES ($1)", [JSON.stringify(req.body)]);
  res.end();
});

app.post("/tokens/cleanup", async (_req, res) => {
  await pool.query("TRUNCATE api_tokens");
  await ApiToken.destroy({ where: { expiresAt: { [Symbol.for("lt")]: new Date() } } });
  res.end();
});

app.listen(3000);
