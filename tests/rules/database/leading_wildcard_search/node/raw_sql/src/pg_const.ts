import express from "express";
import { Pool } from "pg";
const pool = new Pool({ max: 10 });
const Q0 = "SELECT id FROM orders WHERE note ILIKE '%' || $1 || '%' LIMIT 20";
const Q1 = "SELECT id FROM orders WHERE note ILIKE $1 LIMIT 20";
const Q2 = "SELECT id FROM orders WHERE title ILIKE '%' || $1 || '%' LIMIT 20";
const Q3 = "SELECT id FROM orders WHERE note ILIKE $1 LIMIT 20";

const app = express();
app.use(express.json());

app.get("/orders/search", async (req, res) => {
  // ruleid: SC-DB-014
  res.json(await pool.query(Q0, [String(req.query.q)]));
});

app.get("/orders/search-bound", async (req, res) => {
  // ruleid: SC-DB-014
  res.json(await pool.query(Q1, [`%${req.query.q}%`]));
});

app.get("/orders/search-title", async (req, res) => {
  // ok: SC-DB-014
  res.json(await pool.query(Q2, [String(req.query.q)]));
});

app.get("/orders/search-prefix", async (req, res) => {
  // ok: SC-DB-014
  res.json(await pool.query(Q3, [`${req.query.q}%`]));
});

app.listen(3000);
