import { Client } from "@planetscale/database";
import { PrismaPlanetScale } from "@prisma/adapter-planetscale";
import { PrismaClient } from "@prisma/client";

// the datasource is MySQL (prisma/schema.prisma): no PostgreSQL statement_timeout to set
// ok: SC-DB-002
export const prisma = new PrismaClient({ omit: { user: { passwordHash: true } } });

const http = new Client({ url: process.env.DATABASE_URL });

// a driver adapter: the driver's own client owns the connection and its timeouts
// ok: SC-DB-002
export const prismaEdge = new PrismaClient({ adapter: new PrismaPlanetScale(http) });
