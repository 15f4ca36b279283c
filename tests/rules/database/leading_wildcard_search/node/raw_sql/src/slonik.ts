import express from "express";
import { createPool, sql } from "slonik";
import { z } from "zod";
const pool = await createPool(process.env.DATABASE_URL!);
const Row = z.object({ id: z.number() });

const app = express();
app.use(express.json());

app.get("/orders/search", async (req, res) => {
  // ruleid: SC-DB-014
  res.json(await pool.any(sql.type(Row)`SELECT id FROM orders WHERE note ILIKE '%' || ${String(req.query.q)} || '%' LIMIT 20`));
});

app.get("/orders/search-bound", async (req, res) => {
  // ruleid: SC-DB-014
  res.json(await pool.any(sql.type(Row)`SELECT id FROM orders WHERE note ILIKE ${`%${req.query.q}%`} LIMIT 20`));
});

app.get("/orders/search-title", async (req, res) => {
  // ok: SC-DB-014
  res.json(await pool.any(sql.type(Row)`SELECT id FROM orders WHERE title ILIKE '%' || ${String(req.query.q)} || '%' LIMIT 20`));
});

app.get("/orders/search-prefix", async (req, res) => {
  // ok: SC-DB-014
  res.json(await pool.any(sql.type(Row)`SELECT id FROM orders WHERE note ILIKE ${`${req.query.q}%`} LIMIT 20`));
});

app.listen(3000);
