import express from "express";
import { getHeapSnapshot } from "node:v8";
import { Pool } from "pg";

// a queue consumer's pool: its HTTP server answers only the orchestrator's probes and a
// diagnostic heap snapshot, so no user request waits on this pool
// ruleid: SC-DB-002 low
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });

async function build(profileId: string): Promise<void> {
  await pool.query("UPDATE profiles SET built_at = now() WHERE id = $1", [profileId]);
}

const http = express();
http.get("/health", (_req, res) => {
  res.json({ status: "pass" });
});
http.get("/debug/heap", (_req, res) => {
  getHeapSnapshot().pipe(res);
});
http.listen(3401);

setInterval(() => void build(String(Date.now())), 1000);
