import express from "express";
import { createPool, sql } from "slonik";
import { z } from "zod";
const pool = await createPool(process.env.DATABASE_URL!);
const Row = z.object({ id: z.number() });

const app = express();
app.use(express.json());

app.get("/orders/open-count", async (req, res) => {
  // ruleid: SC-DB-017
  const total = await pool.any(sql.type(Row)`SELECT COUNT(*) AS n FROM orders WHERE status = ${String(req.query.status)}`);
  res.json({ total });
});

app.get("/orders/page", async (req, res) => {
  const rows = await pool.any(sql.type(Row)`SELECT id, status FROM orders WHERE status = ${String(req.query.status)} ORDER BY id LIMIT 20 OFFSET ${Number(req.query.offset) || 0}`);
  // ok: SC-DB-017
  const total = await pool.any(sql.type(Row)`SELECT COUNT(*) AS n FROM orders WHERE status = ${String(req.query.status)}`);
  res.json({ rows, total });
});

app.listen(3000);
