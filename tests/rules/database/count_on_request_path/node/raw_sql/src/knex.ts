import express from "express";
import knexFactory from "knex";
const knex = knexFactory({ client: "pg", connection: process.env.DATABASE_URL });

const app = express();
app.use(express.json());

app.get("/orders/open-count", async (req, res) => {
  // ruleid: SC-DB-017
  const total = await knex.raw("SELECT COUNT(*) AS n FROM orders WHERE status = ?", [String(req.query.status)]);
  res.json({ total });
});

app.get("/orders/page", async (req, res) => {
  const rows = await knex.raw("SELECT id, status FROM orders WHERE status = ? ORDER BY id LIMIT 20 OFFSET ?", [String(req.query.status), Number(req.query.offset) || 0]);
  // ok: SC-DB-017
  const total = await knex.raw("SELECT COUNT(*) AS n FROM orders WHERE status = ?", [String(req.query.status)]);
  res.json({ rows, total });
});

app.listen(3000);
