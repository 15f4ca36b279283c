import express from "express";
import { createPool, sql } from "slonik";
import { z } from "zod";
const pool = await createPool(process.env.DATABASE_URL!);
const Row = z.object({ id: z.number() });

const app = express();
app.use(express.json());

app.get("/orders/by-status", async (req, res) => {
  // ruleid: SC-DB-006
  res.json(await pool.any(sql.type(Row)`SELECT id, status FROM orders WHERE status = ${String(req.query.status)} ORDER BY id LIMIT 20`));
});

app.get("/orders/mine", async (req, res) => {
  // ok: SC-DB-006
  res.json(await pool.any(sql.type(Row)`SELECT id, status FROM orders WHERE user_id = ${Number(req.query.user)} ORDER BY id LIMIT 20`));
});

app.listen(3000);
