import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";

// a factory of clients on the connection string its caller passes: every caller passes the
// Hyperdrive binding's, so Hyperdrive's limits (60 s per statement) apply to its queries
export const createDb = (url: string) => {
  // ok: SC-DB-002
  const conn = postgres(url);
  return drizzle(conn);
};

// a direct connection around Hyperdrive: no statement timeout anywhere
// ruleid: SC-DB-002
export const direct = postgres(process.env.DIRECT_DATABASE_URL!, { max: 5 });
