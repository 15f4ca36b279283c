import { PrismaClient } from "@prisma/client";

// One client per process; pool size and timeouts come from DATABASE_URL
// (connection_limit, pool_timeout, connect_timeout, socket_timeout; see .env.example).
export const prisma = new PrismaClient({
  datasources: { db: { url: process.env.DATABASE_URL } },
});
