import express from "express";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
const db = drizzle(process.env.DATABASE_URL!);

const app = express();
app.use(express.json());

app.get("/orders/all", async (req, res) => {
  // ruleid: SC-DB-004
  res.json(await db.execute(sql`SELECT id, status FROM orders`));
});

app.get("/orders/first", async (req, res) => {
  // ok: SC-DB-004
  res.json(await db.execute(sql`SELECT id, status FROM orders ORDER BY id LIMIT 50`));
});

app.listen(3000);
