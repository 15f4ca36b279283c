import express from "express";
import postgres from "postgres";
const sql = postgres(process.env.DATABASE_URL!);

const app = express();
app.use(express.json());

app.get("/orders/buyers", async (req, res) => {
  const orders = await sql`SELECT id, user_id FROM orders ORDER BY id DESC LIMIT 50`;
  const out = [];
  for (const order of orders) {
    // ruleid: SC-DB-003
    out.push(await sql`SELECT id, email FROM users WHERE id = ${order.user_id}`);
  }
  res.json(out);
});

app.post("/users/batch", async (req, res) => {
  // ok: SC-DB-003
  res.json(await sql`SELECT id, email FROM users WHERE id = ANY(${req.body.ids})`);
});

app.listen(3000);
