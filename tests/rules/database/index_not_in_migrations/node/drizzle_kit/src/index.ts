import { Hono } from "hono";
import { serve } from "@hono/node-server";
import { eq } from "drizzle-orm";
import { db } from "./db/client";
import { events } from "./db/schema";

const app = new Hono();

app.get("/events/:kind", async (c) => {
  const rows = await db.select().from(events).where(eq(events.kind, c.req.param("kind"))).limit(100);
  return c.json(rows);
});

serve(app);
