import { Pool } from "pg";

// the job worker's pool: the worker's only routes are its probes (/health, /health/ready, /),
// so a long query stalls the worker, not user requests
// ruleid: SC-DB-002 low
export const jobsPool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
