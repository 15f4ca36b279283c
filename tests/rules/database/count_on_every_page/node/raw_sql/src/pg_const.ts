import express from "express";
import { Pool } from "pg";
const pool = new Pool({ max: 10 });
const Q0 = "SELECT id, status FROM orders ORDER BY id LIMIT 20 OFFSET $1";
const Q1 = "SELECT COUNT(*) AS n FROM orders";
const Q2 = "SELECT id, status FROM orders ORDER BY id LIMIT 20 OFFSET $1";
const Q3 = "SELECT COUNT(*) AS n FROM users";

const app = express();
app.use(express.json());

app.get("/orders/page", async (req, res) => {
  const rows = await pool.query(Q0, [Number(req.query.offset) || 0]);
  // ruleid: SC-DB-005
  const total = await pool.query(Q1, []);
  res.json({ rows, total });
});

app.get("/orders/page-users", async (req, res) => {
  const rows = await pool.query(Q2, [Number(req.query.offset) || 0]);
  // ok: SC-DB-005
  const users = await pool.query(Q3, []);
  res.json({ rows, users });
});

app.listen(3000);
