import { Router } from "express";
import { Pool } from "pg";
import postgres from "postgres";

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const sql = postgres(process.env.DATABASE_URL as string);
export const reports = Router();

reports.get("/audit", async (req, res) => {
  const wanted = Number(req.query.rowsWanted ?? 50);
  // ruleid: SC-DB-012
  const { rows } = await pool.query("SELECT id, action FROM audit_logs WHERE actor = $1 ORDER BY id DESC LIMIT $2", [req.query.actor, wanted]);
  res.json(rows);
});

reports.get("/audit/recent", async (req, res) => {
  const wanted = Math.min(Number(req.query.recentRows ?? 50), 200);
  // ok: SC-DB-012
  const { rows } = await pool.query("SELECT id, action FROM audit_logs ORDER BY id DESC LIMIT $1", [wanted]);
  res.json(rows);
});

reports.get("/logins", async (req, res) => {
  const n = Number(req.query.loginRows);
  // ruleid: SC-DB-012
  const rows = await sql`SELECT id, user_id FROM logins ORDER BY id DESC LIMIT ${n}`;
  res.json(rows);
});

reports.get("/logins/today", async (_req, res) => {
  // ok: SC-DB-012
  const rows = await sql`SELECT id, user_id FROM logins ORDER BY id DESC LIMIT ${100}`;
  res.json(rows);
});
