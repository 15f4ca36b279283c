import { Pool } from "pg";

// ruleid: SC-DB-001 low
export const pool = new Pool({ connectionString: process.env.DATABASE_URL });

// ok: SC-DB-001
export const sized = new Pool({ connectionString: process.env.DATABASE_URL, max: 8, idleTimeoutMillis: 30000 });

export async function warmTenants(tenants: string[]) {
  for (const url of tenants) {
    // ruleid: SC-DB-001 low
    const tenantPool = new Pool({ connectionString: url, max: 2 });
    await tenantPool.query("select 1");
  }
}

let shared: Pool | undefined;
export function getPool(): Pool {
  if (!shared) {
    // ok: SC-DB-001
    shared = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  }
  return shared;
}
