// The channels of ONE team (a parent's fan-out) beside the muted channels of every team.
import { drizzle } from "drizzle-orm/node-postgres";
import { eq } from "drizzle-orm";
import { Router } from "express";
import { channels, posts } from "./schema";
import * as schema from "./schema";

const db = drizzle(process.env.DATABASE_URL!, { schema });
export const router = Router();

router.get("/teams/:id/activity", async (req, res) => {
  const teamId = Number(req.params.id);
  const rows = await db.select().from(channels).where(eq(channels.teamId, teamId));
  const out = [];
  for (const channel of rows) {
    // ruleid: SC-DB-003 (low: the channels of one team)
    out.push(await db.select().from(posts).where(eq(posts.channelId, channel.id)));
  }
  res.json(out);
});

router.get("/teams/:id/latest", async (req, res) => {
  const list = await db.query.channels.findMany({ where: eq(channels.teamId, Number(req.params.id)) });
  const out = [];
  for (const channel of list) {
    // ruleid: SC-DB-003 (low: the channels of one team, relational query API)
    out.push(await db.query.posts.findFirst({ where: eq(posts.channelId, channel.id) }));
  }
  res.json(out);
});

export async function digestMuted() {
  const muted = await db.select().from(channels).where(eq(channels.muted, true));
  for (const channel of muted) {
    // ruleid: SC-DB-003 (high: muted channels of every team)
    const recent = await db.select().from(posts).where(eq(posts.channelId, channel.id));
    console.log(channel.id, recent.length);
  }
}
