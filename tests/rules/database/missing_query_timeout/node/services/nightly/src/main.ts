import { Pool } from "pg";

// a scheduled job's own pool: its process serves no requests
// ruleid: SC-DB-002 low
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 2 });

async function main(): Promise<void> {
  await pool.query("DELETE FROM sessions WHERE expires_at < now()");
  await pool.end();
}

void main();
