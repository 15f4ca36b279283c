import { Router } from "express";
import { count, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { signups } from "./drizzle-schema";

const db = drizzle(process.env.DATABASE_URL!);
const router = Router();
const WAVE_SIZE = 500;

router.post("/signups", async (req, res) => {
  // ruleid: SC-DB-017
  const [{ value }] = await db.select({ value: count() }).from(signups).where(eq(signups.waveId, req.body.wave));
  if (value >= WAVE_SIZE) return res.status(409).json({ error: "wave full" });
  await db.insert(signups).values({ email: req.body.email, waveId: req.body.wave });
  res.status(201).end();
});

router.get("/signups/count", async (_req, res) => {
  // ruleid: SC-DB-017
  const [row] = await db.select({ n: count() }).from(signups);
  res.json({ signups: row.n });
});

export default router;
