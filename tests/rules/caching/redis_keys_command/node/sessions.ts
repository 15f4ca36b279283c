import Redis from "ioredis";

const redis = new Redis(process.env.REDIS_URL!);
const seen = new Map<string, number>();

export async function listSessions(userId: string) {
  // ruleid: SC-CACHE-004
  const keys = await redis.keys(`session:${userId}:*`);
  return keys.length;
}

export async function countSessions(userId: string) {
  let total = 0;
  // ok: SC-CACHE-004
  for await (const batch of redis.scanStream({ match: `session:${userId}:*`, count: 100 })) {
    total += batch.length;
  }
  // ok: SC-CACHE-004
  const fields = Object.keys({ a: 1 });
  // ok: SC-CACHE-004
  const ids = [...seen.keys()];
  return total + fields.length + ids.length;
}
