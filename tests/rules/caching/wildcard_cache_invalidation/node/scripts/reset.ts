import Redis from "ioredis";

const redis = new Redis(process.env.REDIS_URL!);

export async function resetAll() {
  // ok: SC-CACHE-003
  await redis.flushdb();
}
