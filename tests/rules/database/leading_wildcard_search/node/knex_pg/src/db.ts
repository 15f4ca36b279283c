import knex from "knex";
import { Pool } from "pg";

export const knexDb = knex({ client: "pg", connection: process.env.DATABASE_URL });
export const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
