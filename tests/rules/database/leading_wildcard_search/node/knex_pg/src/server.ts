import express from "express";
import { knexDb as knex, pool } from "./db";

const app = express();
app.use(express.json());

app.post("/tickets", async (req, res) => {
  res.json(await knex("tickets").insert(req.body).returning("*"));
});

app.get("/tickets/search", async (req, res) => {
  const q = String(req.query.q ?? "");
  // ruleid: SC-DB-014
  const rows = await knex("tickets").whereILike("subject", `%${q}%`).orderBy("id", "desc").limit(25);
  res.json(rows);
});

app.get("/tickets/by-text", async (req, res) => {
  // ruleid: SC-DB-014
  const { rows } = await pool.query("SELECT id, subject FROM tickets WHERE description ILIKE '%' || $1 || '%' LIMIT 25", [
    req.query.q,
  ]);
  res.json(rows);
});

app.get("/tickets/by-requester", async (req, res) => {
  // the migration's trigram index covers requester_email
  // ok: SC-DB-014
  const rows = await knex("tickets").where("requester_email", "ilike", `%${req.query.q}%`).limit(25);
  res.json(rows);
});

app.get("/tickets/mine", async (req, res) => {
  const me = Number(req.header("x-user-id"));
  // ok: SC-DB-014
  const { rows } = await pool.query("SELECT * FROM tickets WHERE assignee_id = $1 AND subject ILIKE $2", [
    me,
    `%${req.query.q}%`,
  ]);
  res.json(rows);
});

app.get("/tickets/starting", async (req, res) => {
  // ok: SC-DB-014
  const { rows } = await pool.query("SELECT * FROM tickets WHERE subject ILIKE $1 LIMIT 25", [`${req.query.q}%`]);
  res.json(rows);
});

app.listen(3000);
