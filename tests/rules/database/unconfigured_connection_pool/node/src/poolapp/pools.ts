import { Client, Pool } from "pg";

// a factory: it builds a sized pool and returns it; its callers keep what it returns
export function createPool(url: string): Pool {
  // ok: SC-DB-001
  const pool = new Pool({ connectionString: url, max: 10, idleTimeoutMillis: 30000 });
  return pool;
}

let write: Pool | undefined;
export const getWrite = (): Pool => (write ??= createPool(process.env.DATABASE_URL ?? ""));

// a factory whose caller does not keep the result: one pool per request
export function openReportPool(url: string): Pool {
  // ruleid: SC-DB-001
  const pool = new Pool({ connectionString: url, max: 2 });
  return pool;
}

export async function report(): Promise<unknown[]> {
  const pool = openReportPool(process.env.REPORT_URL ?? "");
  return (await pool.query("SELECT 1")).rows;
}

// one connection outside the pool for one task, closed when done
export async function cancel(pid: number): Promise<void> {
  // ruleid: SC-DB-001 low
  const cancelClient = new Client({ connectionString: process.env.DATABASE_URL });
  try {
    await cancelClient.connect();
    await cancelClient.query("SELECT pg_cancel_backend($1)", [pid]);
  } finally {
    await cancelClient.end();
  }
}

// a pool per call, but only an admin route reaches it: an operator's occasional reset
export async function resetDatabase(url: string): Promise<void> {
  // ruleid: SC-DB-001 low
  const admin = new Pool({ connectionString: url, max: 1 });
  await admin.query("TRUNCATE audit_log");
}

// a guard on a local setting is no singleton check: every call builds a new pool
export function createDb(): Pool {
  const connectionString = process.env.CONTEXT_DATABASE_URL;
  if (!connectionString) {
    throw new Error("CONTEXT_DATABASE_URL is not set");
  }
  // ruleid: SC-DB-001
  const pool = new Pool({ connectionString, max: 5 });
  return pool;
}

export async function requestContext(): Promise<{ db: Pool }> {
  const db = createDb();
  return { db };
}

// a guard on a module slot the block assigns: built once, reused
let analytics: Pool | undefined;
export function getAnalytics(): Pool {
  if (!analytics) {
    // ok: SC-DB-001
    const created = new Pool({ connectionString: process.env.ANALYTICS_URL, max: 5 });
    analytics = created;
  }
  return analytics;
}

// one pool per tenant database, kept in a module-level map: built on a miss, then reused
const tenantPools: Map<string, { pool: Pool; schema: string }> = new Map();
export function tenantPool(tenant: string): Pool {
  const url = process.env[`DATABASE_URL_${tenant.toUpperCase()}`];
  let entry = tenantPools.get(tenant);
  if (!entry) {
    entry = {
      // ok: SC-DB-001
      pool: new Pool({ connectionString: url, max: 5 }),
      schema: "public",
    };
    tenantPools.set(tenant, entry);
  }
  return entry.pool;
}

const regionPools: Record<string, Pool> = {};
export function regionPool(region: string): Pool {
  // ok: SC-DB-001
  const pool = regionPools[region] ?? new Pool({ connectionString: process.env[`DB_${region}`], max: 5 });
  regionPools[region] = pool;
  return pool;
}

// a map that lives only as long as the call keeps nothing: one pool per request
export function scratchPool(): Pool {
  const seen = new Map<string, Pool>();
  // ruleid: SC-DB-001
  const pool = new Pool({ connectionString: process.env.SCRATCH_URL, max: 3 });
  seen.set("scratch", pool);
  return pool;
}
