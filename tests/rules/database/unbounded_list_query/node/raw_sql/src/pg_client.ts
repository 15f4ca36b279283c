import express from "express";
import { Pool } from "pg";
const pool = new Pool({ max: 10 });

const app = express();
app.use(express.json());

app.get("/orders/all", async (req, res) => {
  // ruleid: SC-DB-004
  res.json(await (await pool.connect()).query({ text: "SELECT id, status FROM orders", values: [] }));
});

app.get("/orders/first", async (req, res) => {
  // ok: SC-DB-004
  res.json(await (await pool.connect()).query({ text: "SELECT id, status FROM orders ORDER BY id LIMIT 50", values: [] }));
});

app.listen(3000);
