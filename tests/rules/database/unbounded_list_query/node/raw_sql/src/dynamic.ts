import express from "express";
import { Pool } from "pg";
import postgres from "postgres";

const pool = new Pool({ max: 10 });
const sql = postgres(process.env.DATABASE_URL!);
const app = express();

// statements built at run time are not known as written: no query facts, no findings

app.get("/dynamic/where", async (req, res) => {
  const where = req.query.status ? "WHERE status = $1" : "";
  // ok: SC-DB-004
  const { rows } = await pool.query(`SELECT id, status FROM orders ${where} LIMIT 50`, req.query.status ? [req.query.status] : []);
  res.json(rows);
});

app.get("/dynamic/table", async (req, res) => {
  const table = req.query.archived ? "orders_archive" : "orders";
  // ok: SC-DB-004
  res.json((await pool.query(`SELECT id, status FROM ${table} WHERE id > 0`)).rows);
});

app.get("/dynamic/fragment", async (req, res) => {
  const filter = req.query.status ? sql`WHERE status = ${String(req.query.status)}` : sql``;
  // ok: SC-DB-004
  res.json(await sql`SELECT id, status FROM orders ${filter} LIMIT 50`);
});

app.get("/dynamic/concat", async (req, res) => {
  const clause = String(req.query.clause ?? "");
  // ok: SC-DB-004
  res.json((await pool.query("SELECT id, status FROM orders " + clause)).rows);
});

app.get("/dynamic/several", async (_req, res) => {
  // ok: SC-DB-004
  res.json((await pool.query("SET LOCAL statement_timeout = 1000; SELECT id, status FROM orders")).rows);
});

app.listen(3002);

app.get("/dynamic/extended", async (req, res) => {
  let text = "SELECT id, status FROM orders";
  if (req.query.status) text += " WHERE status = $1";
  // ok: SC-DB-004
  res.json((await pool.query(text, req.query.status ? [req.query.status] : [])).rows);
});
