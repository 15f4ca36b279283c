import express from "express";
import knexFactory from "knex";
const knex = knexFactory({ client: "pg", connection: process.env.DATABASE_URL });

const app = express();
app.use(express.json());

app.get("/orders/buyers", async (req, res) => {
  const orders = (await knex.raw("SELECT id, user_id FROM orders ORDER BY id DESC LIMIT 50", [])).rows;
  const out = [];
  for (const order of orders) {
    // ruleid: SC-DB-003
    out.push(await knex.raw("SELECT id, email FROM users WHERE id = ?", [order.user_id]));
  }
  res.json(out);
});

app.post("/users/batch", async (req, res) => {
  // ok: SC-DB-003
  res.json(await knex.raw("SELECT id, email FROM users WHERE id = ANY(?)", [req.body.ids]));
});

app.listen(3000);
