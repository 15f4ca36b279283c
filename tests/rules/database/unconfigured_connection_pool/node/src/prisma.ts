import { PrismaClient } from "@prisma/client";

// ruleid: SC-DB-001 low
export const prisma = new PrismaClient();

// ok: SC-DB-001
export const pooled = new PrismaClient({ datasources: { db: { url: process.env.POOLED_DATABASE_URL } } });

// ok: SC-DB-001
export const bounced = new PrismaClient({ datasourceUrl: process.env.BOUNCER_URL });
