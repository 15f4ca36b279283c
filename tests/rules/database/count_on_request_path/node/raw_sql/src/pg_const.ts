import express from "express";
import { Pool } from "pg";
const pool = new Pool({ max: 10 });
const Q0 = "SELECT COUNT(*) AS n FROM orders WHERE status = $1";
const Q1 = "SELECT id, status FROM orders WHERE status = $1 ORDER BY id LIMIT 20 OFFSET $2";
const Q2 = "SELECT COUNT(*) AS n FROM orders WHERE status = $1";

const app = express();
app.use(express.json());

app.get("/orders/open-count", async (req, res) => {
  // ruleid: SC-DB-017
  const total = await pool.query(Q0, [String(req.query.status)]);
  res.json({ total });
});

app.get("/orders/page", async (req, res) => {
  const rows = await pool.query(Q1, [String(req.query.status), Number(req.query.offset) || 0]);
  // ok: SC-DB-017
  const total = await pool.query(Q2, [String(req.query.status)]);
  res.json({ rows, total });
});

app.listen(3000);
