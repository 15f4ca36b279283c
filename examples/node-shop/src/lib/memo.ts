import { prisma } from "../db";

// Product lookups are hot, so keep them in memory.
const productCache = new Map<number, unknown>();

export async function getProductCached(id: number) {
  if (productCache.has(id)) {
    return productCache.get(id);
  }
  const product = await prisma.product.findUnique({ where: { id } });
  productCache.set(id, product);
  return product;
}
