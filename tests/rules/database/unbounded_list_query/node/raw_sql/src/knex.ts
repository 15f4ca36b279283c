import express from "express";
import knexFactory from "knex";
const knex = knexFactory({ client: "pg", connection: process.env.DATABASE_URL });

const app = express();
app.use(express.json());

app.get("/orders/all", async (req, res) => {
  // ruleid: SC-DB-004
  res.json(await knex.raw("SELECT id, status FROM orders", []));
});

app.get("/orders/first", async (req, res) => {
  // ok: SC-DB-004
  res.json(await knex.raw("SELECT id, status FROM orders ORDER BY id LIMIT 50", []));
});

app.listen(3000);
