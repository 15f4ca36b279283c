import { Pool } from "pg";

// built by a helper that only src/libs/ReportsDB.ts calls, and no file imports that one
export const createReportsConnection = () => {
  // ruleid: SC-DB-002 low
  const pool = new Pool({ connectionString: process.env.REPORTS_DATABASE_URL, max: 5 });
  pool.on("error", (error) => console.error(error.message));
  return pool;
};
