import express from "express";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
const db = drizzle(process.env.DATABASE_URL!);

const app = express();
app.use(express.json());

app.get("/orders/page", async (req, res) => {
  const rows = await db.execute(sql`SELECT id, status FROM orders ORDER BY id LIMIT 20 OFFSET ${Number(req.query.offset) || 0}`);
  // ruleid: SC-DB-005
  const total = await db.execute(sql`SELECT COUNT(*) AS n FROM orders`);
  res.json({ rows, total });
});

app.get("/orders/page-users", async (req, res) => {
  const rows = await db.execute(sql`SELECT id, status FROM orders ORDER BY id LIMIT 20 OFFSET ${Number(req.query.offset) || 0}`);
  // ok: SC-DB-005
  const users = await db.execute(sql`SELECT COUNT(*) AS n FROM users`);
  res.json({ rows, users });
});

app.listen(3000);
