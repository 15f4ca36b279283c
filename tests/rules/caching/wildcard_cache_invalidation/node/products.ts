import express from "express";
import Redis from "ioredis";
import { prisma } from "./db";

const redis = new Redis(process.env.REDIS_URL!);
export const app = express();

export async function invalidateProducts() {
  // ruleid: SC-CACHE-003
  const keys = await redis.keys("products:*");
  if (keys.length) await redis.del(...keys);
}

export async function invalidateUser(userId: string) {
  // ruleid: SC-CACHE-003
  const stream = redis.scanStream({ match: `user:${userId}:*`, count: 100 });
  for await (const batch of stream) {
    if (batch.length) await redis.del(...batch);
  }
  // ok: SC-CACHE-003
  await redis.del(`user:${userId}`);
}

app.post("/products", async (req, res) => {
  const product = await prisma.product.create({ data: req.body });
  // ruleid: SC-CACHE-003
  await redis.flushall();
  res.json(product);
});
