import express from "express";
import { Pool } from "pg";
const pool = new Pool({ max: 10 });

const app = express();
app.use(express.json());

app.get("/orders/buyers", async (req, res) => {
  const orders = (await pool.query("SELECT id, user_id" + " FROM orders ORDER BY id DESC LIMIT 50", [])).rows;
  const out = [];
  for (const order of orders) {
    // ruleid: SC-DB-003
    out.push(await pool.query("SELECT id, email FROM users" + " WHERE id = $1", [order.user_id]));
  }
  res.json(out);
});

app.post("/users/batch", async (req, res) => {
  // ok: SC-DB-003
  res.json(await pool.query("SELECT id, email FROM users" + " WHERE id = ANY($1)", [req.body.ids]));
});

app.listen(3000);
