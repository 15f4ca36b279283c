import { drizzle } from "drizzle-orm/node-postgres";

import { pool } from "./clients";

// the wrapper opens no connection of its own: the timeout belongs to `pool` (reported there)
// ok: SC-DB-002
export const db = drizzle({ client: pool, logger: false });
