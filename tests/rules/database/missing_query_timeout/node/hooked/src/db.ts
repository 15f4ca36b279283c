// Timeouts the code applies itself (issue 8, item 8): per session on connect, or per transaction.
import { Pool } from "pg";
import { PrismaClient } from "@prisma/client";

// ok: SC-DB-002 (hooks.ts sets statement_timeout on every new connection)
export const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

// ok: SC-DB-002 (the server-side timeout travels in the startup options)
export const reports = new Pool({ connectionString: process.env.REPORTS_URL, options: "-c statement_timeout=30000" });

// ruleid: SC-DB-002 (low: only the transactions of withTimeout set it, with SET LOCAL)
export const prisma = new PrismaClient();

export async function withTimeout<T>(fn: (tx: any) => Promise<T>): Promise<T> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SET LOCAL statement_timeout = 5000`;
    return fn(tx);
  });
}
