import { unstable_cache } from "next/cache";
import { prisma } from "./prisma";

export async function listPosts() {
  return prisma.post.findMany({ where: { published: true }, orderBy: { createdAt: "desc" }, take: 20 });
}

export const cachedPopular = unstable_cache(
  async () => prisma.post.findMany({ where: { published: true }, orderBy: { views: "desc" }, take: 10 }),
  ["popular"],
  { revalidate: 300, tags: ["posts"] },
);

export async function loadRates() {
  // ruleid: SC-CACHE-009
  const res = await fetch("https://rates.example.com/v1/latest", { cache: "no-store" });
  return res.json();
}
