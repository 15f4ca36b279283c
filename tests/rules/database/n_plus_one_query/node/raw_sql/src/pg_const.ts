import express from "express";
import { Pool } from "pg";
const pool = new Pool({ max: 10 });
const Q0 = "SELECT id, user_id FROM orders ORDER BY id DESC LIMIT 50";
const Q1 = "SELECT id, email FROM users WHERE id = $1";
const Q2 = "SELECT id, email FROM users WHERE id = ANY($1)";

const app = express();
app.use(express.json());

app.get("/orders/buyers", async (req, res) => {
  const orders = (await pool.query(Q0, [])).rows;
  const out = [];
  for (const order of orders) {
    // ruleid: SC-DB-003
    out.push(await pool.query(Q1, [order.user_id]));
  }
  res.json(out);
});

app.post("/users/batch", async (req, res) => {
  // ok: SC-DB-003
  res.json(await pool.query(Q2, [req.body.ids]));
});

app.listen(3000);
