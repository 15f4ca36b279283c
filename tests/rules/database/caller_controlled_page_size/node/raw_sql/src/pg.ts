import express from "express";
import { Pool } from "pg";
const pool = new Pool({ max: 10 });

const app = express();
app.use(express.json());

app.get("/orders/top", async (req, res) => {
  // ruleid: SC-DB-012
  res.json(await pool.query("SELECT id, status FROM orders ORDER BY id LIMIT $1", [Number(req.query.topN)]));
});

app.get("/orders/top-capped", async (req, res) => {
  // ok: SC-DB-012
  res.json(await pool.query("SELECT id, status FROM orders ORDER BY id LIMIT $1", [Math.min(Number(req.query.topN) || 20, 100)]));
});

app.listen(3000);
