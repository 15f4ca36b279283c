import { Client, Pool } from "pg";
import { run } from "graphile-worker";
import session from "express-session";
import connectPg from "connect-pg-simple";

const PgStore = connectPg(session);
let runnerPool: Pool | null = null;

// a job queue's own pool: the application only hands it to the library
export async function startQueue(): Promise<void> {
  // ruleid: SC-DB-002 low
  runnerPool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
  await run({ pgPool: runnerPool, concurrency: 2, taskList: {} });
}

export async function stopQueue(): Promise<void> {
  if (runnerPool) {
    await runnerPool.end();
    runnerPool = null;
  }
}

// a session store's pool
// ruleid: SC-DB-002 low
const sessionPool = new Pool({ connectionString: process.env.DATABASE_URL });
export const store = new PgStore({ pool: sessionPool, tableName: "sessions" });

// one connection for one task, closed when it is done
export async function countOrders(): Promise<number> {
  // ruleid: SC-DB-002 low
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const result = await client.query("SELECT count(*) FROM orders");
    return Number(result.rows[0].count);
  } finally {
    await client.end();
  }
}

// the application's own pool, exported and also handed to a store: the app queries it
// ruleid: SC-DB-002
export const appPool = new Pool({ connectionString: process.env.DATABASE_URL });
export const appStore = new PgStore({ pool: appPool });

// a pool the code queries itself after handing it over
// ruleid: SC-DB-002
const reportPool = new Pool({ connectionString: process.env.DATABASE_URL });
export const reportStore = new PgStore({ pool: reportPool });
export async function report(): Promise<unknown> {
  return (await reportPool.query("SELECT 1")).rows;
}
