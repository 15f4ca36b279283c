import { drizzle } from "drizzle-orm/node-postgres";
import { sql } from "drizzle-orm";

// ok: SC-DB-002 (withStatementTimeout sets it on the session before any query)
export const db = drizzle(process.env.DATABASE_URL!);

export async function withStatementTimeout<T>(fn: () => Promise<T>): Promise<T> {
  await db.execute(sql`SET statement_timeout = 5000`);
  return fn();
}
