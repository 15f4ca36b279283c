import express from "express";
import { Pool } from "pg";
const pool = new Pool({ max: 10 });

const app = express();
app.use(express.json());

app.get("/orders/page", async (req, res) => {
  const rows = await pool.query("SELECT id, status FROM orders ORDER BY id LIMIT 20 OFFSET $1", [Number(req.query.offset) || 0]);
  // ruleid: SC-DB-005
  const total = await pool.query("SELECT COUNT(*) AS n FROM orders", []);
  res.json({ rows, total });
});

app.get("/orders/page-users", async (req, res) => {
  const rows = await pool.query("SELECT id, status FROM orders ORDER BY id LIMIT 20 OFFSET $1", [Number(req.query.offset) || 0]);
  // ok: SC-DB-005
  const users = await pool.query("SELECT COUNT(*) AS n FROM users", []);
  res.json({ rows, users });
});

app.listen(3000);
