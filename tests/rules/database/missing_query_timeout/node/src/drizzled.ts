import { drizzle } from "drizzle-orm/node-postgres";
import { Pool } from "pg";

import { pool } from "./clients";

// the wrapper opens no connection of its own: the timeout belongs to `pool` (reported there)
// ok: SC-DB-002
export const db = drizzle({ client: pool, logger: false });

// a pool handed to the ORM the application queries through is the application's own pool: every
// query of `ordersDb` runs on it, not a library's short statements
// ruleid: SC-DB-002
const ordersPool = new Pool({ connectionString: process.env.ORDERS_DATABASE_URL });
export const ordersDb = drizzle({ client: ordersPool });
