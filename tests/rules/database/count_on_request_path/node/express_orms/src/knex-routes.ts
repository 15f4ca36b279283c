import { Router } from "express";
import knexFactory from "knex";

const knex = knexFactory({ client: "pg", connection: process.env.DATABASE_URL });
const router = Router();

router.post("/orders", async (req, res) => {
  // ruleid: SC-DB-017
  const [{ count }] = await knex("orders").count("* as count");
  const position = Number(count) + 1;
  await knex("orders").insert({ position, item: req.body.item });
  res.status(201).end();
});

router.get("/orders/total", async (_req, res) => {
  // ruleid: SC-DB-017
  const total = await knex("orders").count("id as n").first();
  res.json(total);
});

router.get("/orders/page", async (req, res) => {
  const rows = await knex("orders").select("*").limit(20).offset(Number(req.query.offset));
  // ok: SC-DB-017
  const total = await knex("orders").count("* as n").first();
  res.json({ rows, total });
});

export default router;
