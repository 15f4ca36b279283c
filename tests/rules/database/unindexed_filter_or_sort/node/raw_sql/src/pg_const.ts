import express from "express";
import { Pool } from "pg";
const pool = new Pool({ max: 10 });
const Q0 = "SELECT id, status FROM orders WHERE status = $1 ORDER BY id LIMIT 20";
const Q1 = "SELECT id, status FROM orders WHERE user_id = $1 ORDER BY id LIMIT 20";

const app = express();
app.use(express.json());

app.get("/orders/by-status", async (req, res) => {
  // ruleid: SC-DB-006
  res.json(await pool.query(Q0, [String(req.query.status)]));
});

app.get("/orders/mine", async (req, res) => {
  // ok: SC-DB-006
  res.json(await pool.query(Q1, [Number(req.query.user)]));
});

app.listen(3000);
