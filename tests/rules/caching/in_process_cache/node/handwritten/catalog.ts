import { labelCache, productCache } from "./ttl-cache";
import { prisma } from "../db";

export async function getProduct(id: string) {
  const hit = productCache.get(id);
  if (hit) return hit;
  const product = await prisma.product.findUnique({ where: { id } });
  productCache.set(id, product);
  return product;
}

export function label(name: string) {
  const hit = labelCache.get(name);
  if (hit) return hit;
  const text = name.trim().toUpperCase();
  labelCache.set(name, text);
  return text;
}
