import { PrismaClient } from "@prisma/client";
import { Pool } from "pg";
import knex from "knex";
import { DataSource } from "typeorm";

// ruleid: SC-DB-002
export const prisma = new PrismaClient();

// ok: SC-DB-002
export const safePrisma = new PrismaClient({ datasourceUrl: process.env.SAFE_URL });

// ruleid: SC-DB-002
export const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10, connectionTimeoutMillis: 5000 });

// ok: SC-DB-002
export const bounded = new Pool({ connectionString: process.env.DATABASE_URL, max: 10, statement_timeout: 5000 });

// ruleid: SC-DB-002
export const qb = knex({ client: "pg", connection: process.env.DATABASE_URL, acquireConnectionTimeout: 10000 });

// ruleid: SC-DB-002
export const ds = new DataSource({
  type: "postgres",
  url: process.env.DATABASE_URL,
  entities: [],
  maxQueryExecutionTime: 2000,
});

// ok: SC-DB-002
export const tuned = new DataSource({ type: "postgres", url: process.env.DATABASE_URL, extra: { statement_timeout: 5000 } });

// ok: SC-DB-002
export const mysqlDs = new DataSource({ type: "mysql", url: process.env.MYSQL_URL, entities: [] });
