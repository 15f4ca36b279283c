import express from "express";
import { Pool } from "pg";
const pool = new Pool({ max: 10 });

const app = express();
app.use(express.json());

app.get("/orders/page", async (req, res) => {
  const rows = await (await pool.connect()).query({ text: "SELECT id, status FROM orders ORDER BY id LIMIT 20 OFFSET $1", values: [Number(req.query.offset) || 0] });
  // ruleid: SC-DB-005
  const total = await (await pool.connect()).query({ text: "SELECT COUNT(*) AS n FROM orders", values: [] });
  res.json({ rows, total });
});

app.get("/orders/page-users", async (req, res) => {
  const rows = await (await pool.connect()).query({ text: "SELECT id, status FROM orders ORDER BY id LIMIT 20 OFFSET $1", values: [Number(req.query.offset) || 0] });
  // ok: SC-DB-005
  const users = await (await pool.connect()).query({ text: "SELECT COUNT(*) AS n FROM users", values: [] });
  res.json({ rows, users });
});

app.listen(3000);
