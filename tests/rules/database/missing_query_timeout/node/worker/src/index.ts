import { Hono } from "hono";
import { Pool } from "pg";

import { createDb, direct } from "./db";

type Bindings = { HYPERDRIVE: { connectionString: string } };

const app = new Hono<{ Bindings: Bindings }>();

app.get("/notes", async (c) => {
  const db = createDb(c.env.HYPERDRIVE.connectionString);
  return c.json(await db.execute("select id, title from notes limit 50"));
});

app.get("/tags", async (c) => {
  // the binding read where the pool is built
  // ok: SC-DB-002
  const pool = new Pool({ connectionString: c.env.HYPERDRIVE.connectionString, max: 5 });
  const { rows } = await pool.query("select name from tags limit 50");
  return c.json(rows);
});

app.get("/exports", async (c) => c.json(await direct`select id from exports limit 50`));

export default app;
