import { Hono } from "hono";
import { Pool } from "pg";

import { createDb } from "./db";

type Bindings = { HYPERDRIVE: { connectionString: string }; DIRECT_DATABASE_URL: string };

const app = new Hono<{ Bindings: Bindings }>();

app.get("/notes", async (c) => {
  const db = createDb(c.env.HYPERDRIVE.connectionString);
  return c.json(await db.execute("select id, title from notes limit 50"));
});

app.get("/tags", async (c) => {
  // the binding read where the pool is built: Hyperdrive pools the connections
  // ok: SC-DB-001
  const pool = new Pool({ connectionString: c.env.HYPERDRIVE.connectionString });
  const { rows } = await pool.query("select name from tags limit 50");
  return c.json(rows);
});

app.get("/exports", async (c) => {
  // a pool per request straight to the database, around Hyperdrive
  // ruleid: SC-DB-001
  const pool = new Pool({ connectionString: c.env.DIRECT_DATABASE_URL });
  const { rows } = await pool.query("select id from exports limit 50");
  return c.json(rows);
});

export default app;
