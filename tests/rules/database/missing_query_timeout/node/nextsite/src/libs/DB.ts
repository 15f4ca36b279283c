import { Pool } from "pg";

// the pool the pages query: a Next.js page registers its route by its path
// ruleid: SC-DB-002
export const pagesPool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
