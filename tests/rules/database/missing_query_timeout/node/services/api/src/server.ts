import express from "express";
import { Pool } from "pg";

// the API's pool: every user-facing request waits on it
// ruleid: SC-DB-002
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

const app = express();
app.get("/orders/:id", async (req, res) => {
  const { rows } = await pool.query("SELECT * FROM orders WHERE id = $1", [req.params.id]);
  res.json(rows[0]);
});
app.listen(3000);
