import express from "express";
import { Pool } from "pg";

const pool = new Pool({ max: 10 });
const app = express();
app.use(express.json());

app.post("/signup", async (req, res) => {
  await pool.query("INSERT INTO users (email, name) VALUES ($1, $2)", [req.body.email, req.body.name]);
  res.status(201).end();
});

app.post("/orders", async (req, res) => {
  await pool.query("INSERT INTO orders (user_id, status, note, title) VALUES ($1, 'open', $2, $3)", [
    req.body.userId,
    req.body.note,
    req.body.title,
  ]);
  res.status(201).end();
});

app.listen(3001);
