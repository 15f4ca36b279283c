import { DataSource } from "typeorm";
import { Sequelize } from "sequelize";
import knex from "knex";
import { createClient } from "@supabase/supabase-js";

// ruleid: SC-DB-001 low
export const dataSource = new DataSource({
  type: "postgres",
  url: process.env.DATABASE_URL,
  entities: ["dist/**/*.entity.js"],
  maxQueryExecutionTime: 1000,
});

// ok: SC-DB-001
export const local = new DataSource({ type: "better-sqlite3", database: "dev.db", entities: [] });

// ok: SC-DB-001
export const reporting = new DataSource({ type: "postgres", url: process.env.DATABASE_URL, extra: { max: 5 } });

// ruleid: SC-DB-001 low
export const sequelize = new Sequelize(process.env.DATABASE_URL as string, { dialect: "postgres" });

// ok: SC-DB-001
export const db = knex({ client: "pg", connection: process.env.DATABASE_URL, pool: { min: 0, max: 10 } });

// ok: SC-DB-001
export const supabase = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_ANON_KEY!);
