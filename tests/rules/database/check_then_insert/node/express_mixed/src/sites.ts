import { Router } from "express";
import { drizzle } from "drizzle-orm/node-postgres";
import { eq } from "drizzle-orm";
import { knex, pool } from "./models";
import { domains, pages } from "./schema";

const db = drizzle(pool);
export const sites = Router();

sites.post("/pages", async (req, res) => {
  const slug = String(req.body.slug);
  const rows = await db.select().from(pages).where(eq(pages.slug, slug));
  if (rows.length > 0) return res.status(409).end();
  // ruleid: SC-DB-018
  await db.insert(pages).values({ slug, title: req.body.title });
  res.sendStatus(201);
});

sites.post("/pages-ignore", async (req, res) => {
  const slug = String(req.body.slug);
  const rows = await db.select().from(pages).where(eq(pages.slug, slug));
  if (rows.length > 0) return res.status(409).end();
  // ok: SC-DB-018
  await db.insert(pages).values({ slug }).onConflictDoNothing();
  res.sendStatus(201);
});

sites.post("/domains", async (req, res) => {
  const host = String(req.body.host);
  const rows = await db.select().from(domains).where(eq(domains.host, host));
  if (rows.length) return res.status(409).end();
  // ok: SC-DB-018
  await db.insert(domains).values({ host });
  res.sendStatus(201);
});

sites.post("/coupons", async (req, res) => {
  const code = String(req.body.code);
  const existing = await knex("coupons").where({ code }).first();
  if (!existing) {
    // ruleid: SC-DB-018
    await knex("coupons").insert({ code, amount: Number(req.body.amount) });
  }
  res.sendStatus(204);
});

sites.post("/coupons-merge", async (req, res) => {
  const code = String(req.body.code);
  const existing = await knex("coupons").where({ code }).first();
  if (existing) return res.status(409).end();
  // ok: SC-DB-018
  await knex("coupons").insert({ code, amount: 1 }).onConflict("code").ignore();
  res.sendStatus(201);
});

sites.post("/handles", async (req, res) => {
  const name = String(req.body.name);
  const { rows } = await pool.query("SELECT id FROM handles WHERE name = $1", [name]);
  if (rows.length > 0) return res.status(409).json({ error: "taken" });
  // ruleid: SC-DB-018
  await pool.query("INSERT INTO handles (name) VALUES ($1)", [name]);
  res.sendStatus(201);
});

sites.post("/redeem", async (req, res) => {
  const code = String(req.body.code);
  const userId = Number(req.body.userId);
  const { rows } = await pool.query("SELECT id FROM redeems WHERE coupon_code = $1 AND user_id = $2", [code, userId]);
  if (rows.length > 0) return res.status(409).end();
  // ok: SC-DB-018
  await pool.query("INSERT INTO redeems (coupon_code, user_id) VALUES ($1, $2)", [code, userId]);
  res.sendStatus(201);
});
