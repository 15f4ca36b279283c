import express from "express";
import postgres from "postgres";
const sql = postgres(process.env.DATABASE_URL!);

const app = express();
app.use(express.json());

app.get("/orders/top", async (req, res) => {
  // ruleid: SC-DB-012
  res.json(await sql`SELECT id, status FROM orders ORDER BY id LIMIT ${Number(req.query.topN)}`);
});

app.get("/orders/top-capped", async (req, res) => {
  // ok: SC-DB-012
  res.json(await sql`SELECT id, status FROM orders ORDER BY id LIMIT ${Math.min(Number(req.query.topN) || 20, 100)}`);
});

app.listen(3000);
