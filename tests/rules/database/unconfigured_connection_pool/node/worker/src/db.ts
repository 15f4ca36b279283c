import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";

// a client per request on the connection string its caller passes: every caller passes the
// Hyperdrive binding's, and Hyperdrive keeps the pool (Cloudflare's recommended pattern)
export const createDb = (url: string) => {
  // ok: SC-DB-001
  const conn = postgres(url);
  return drizzle(conn);
};
