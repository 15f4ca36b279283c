import { redis } from "../cache";

/**
 * Read-through cache shared by every instance. A missing key is recomputed by one caller only:
 * the others see the lock, wait briefly and re-read, so a hot key expiring does not send every
 * request to the database at once.
 */
export async function cached<T>(key: string, ttlSeconds: number, load: () => Promise<T>): Promise<T> {
  const hit = await redis.get(key);
  if (hit) return JSON.parse(hit) as T;
  const gotLock = await redis.set(`lock:${key}`, "1", "PX", 5000, "NX");
  if (!gotLock) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const retry = await redis.get(key);
    if (retry) return JSON.parse(retry) as T;
  }
  const value = await load();
  await redis.set(key, JSON.stringify(value), "EX", ttlSeconds);
  await redis.del(`lock:${key}`);
  return value;
}
