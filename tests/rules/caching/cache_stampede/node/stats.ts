import Redis from "ioredis";
import { prisma } from "./db";

const redis = new Redis(process.env.REDIS_URL!);

export async function getStats() {
  // ruleid: SC-CACHE-006
  const hit = await redis.get("stats:daily");
  if (hit) return JSON.parse(hit);
  const stats = await prisma.order.aggregate({ _sum: { total: true } });
  await redis.set("stats:daily", JSON.stringify(stats), "EX", 60);
  return stats;
}

export async function getLeaderboard() {
  // ok: SC-CACHE-006
  const hit = await redis.get("leaderboard");
  if (hit) return JSON.parse(hit);
  const locked = await redis.set("leaderboard:lock", "1", "PX", 5000, "NX");
  if (!locked) return [];
  const rows = await prisma.score.findMany({ take: 10, orderBy: { points: "desc" } });
  await redis.set("leaderboard", JSON.stringify(rows), "EX", 60);
  return rows;
}

export async function getFlag(name: string) {
  // ok: SC-CACHE-006
  const hit = await redis.get(`flag:${name}`);
  if (hit) return hit;
  await redis.set(`flag:${name}`, "off", "EX", 60);
  return "off";
}
