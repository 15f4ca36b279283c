import express from "express";
import knexFactory from "knex";
const knex = knexFactory({ client: "pg", connection: process.env.DATABASE_URL });

const app = express();
app.use(express.json());

app.get("/orders/by-status", async (req, res) => {
  // ruleid: SC-DB-006
  res.json(await knex.raw("SELECT id, status FROM orders WHERE status = ? ORDER BY id LIMIT 20", [String(req.query.status)]));
});

app.get("/orders/mine", async (req, res) => {
  // ok: SC-DB-006
  res.json(await knex.raw("SELECT id, status FROM orders WHERE user_id = ? ORDER BY id LIMIT 20", [Number(req.query.user)]));
});

app.listen(3000);
