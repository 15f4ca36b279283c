import Redis from "ioredis";
import { LRUCache } from "lru-cache";
import { prisma } from "./db";

const redis = new Redis(process.env.REDIS_URL!);
// ok: SC-CACHE-005
const bounded = new LRUCache<string, string>({ max: 1000, ttl: 60_000 });
// ruleid: SC-CACHE-005
const profiles = new Map<string, unknown>();

export async function cacheUser(id: string) {
  const user = await prisma.user.findUnique({ where: { id } });
  // ruleid: SC-CACHE-005
  await redis.set(`user:${id}`, JSON.stringify(user));
  // ok: SC-CACHE-005
  await redis.set(`user:${id}:v2`, JSON.stringify(user), "EX", 300);
  // ok: SC-CACHE-005
  await redis.setex(`user:${id}:v3`, 300, JSON.stringify(user));
  // ok: SC-CACHE-005
  await redis.set(`user:${id}:v4`, JSON.stringify(user));
  await redis.expire(`user:${id}:v4`, 300);
  // ruleid: SC-CACHE-005
  await redis.setnx(`user:${id}:first`, "1");
  return user;
}

export async function getProfile(id: string) {
  if (profiles.has(id)) return profiles.get(id);
  const profile = await prisma.profile.findUnique({ where: { userId: id } });
  profiles.set(id, profile);
  bounded.set(id, JSON.stringify(profile));
  return profile;
}
