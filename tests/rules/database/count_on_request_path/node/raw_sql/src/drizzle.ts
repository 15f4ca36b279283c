import express from "express";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
const db = drizzle(process.env.DATABASE_URL!);

const app = express();
app.use(express.json());

app.get("/orders/open-count", async (req, res) => {
  // ruleid: SC-DB-017
  const total = await db.execute(sql`SELECT COUNT(*) AS n FROM orders WHERE status = ${String(req.query.status)}`);
  res.json({ total });
});

app.get("/orders/page", async (req, res) => {
  const rows = await db.execute(sql`SELECT id, status FROM orders WHERE status = ${String(req.query.status)} ORDER BY id LIMIT 20 OFFSET ${Number(req.query.offset) || 0}`);
  // ok: SC-DB-017
  const total = await db.execute(sql`SELECT COUNT(*) AS n FROM orders WHERE status = ${String(req.query.status)}`);
  res.json({ rows, total });
});

app.listen(3000);
