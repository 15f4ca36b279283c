import { prisma } from "../db";
import { cached } from "./cache";

const TTL_SECONDS = 300;

// Shared by every instance through Redis, bounded by TTL (and by Redis maxmemory + LRU).
export async function getProductCached(id: number) {
  return cached(`product:${id}`, TTL_SECONDS, () => prisma.product.findUnique({ where: { id } }));
}
