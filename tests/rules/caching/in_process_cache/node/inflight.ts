import { prisma } from "./db";

type Link = { id: string; url: string };

// request coalescing: concurrent lookups of one key share a promise, removed once it settles
// ok: SC-CACHE-002
const pendingLookups = new Map<string, Promise<Link | null>>();

export async function getLink(domain: string, key: string): Promise<Link | null> {
  const id = `${domain}:${key}`;
  const existing = pendingLookups.get(id);
  if (existing) return await existing;
  const lookup = prisma.link.findFirst({ where: { domain, key } }).finally(() => {
    pendingLookups.delete(id);
  });
  pendingLookups.set(id, lookup);
  return await lookup;
}

// ruleid: SC-CACHE-002
const linkCache = new Map<string, Link | null>();

export async function getLinkCached(domain: string, key: string): Promise<Link | null> {
  const id = `${domain}:${key}`;
  if (linkCache.has(id)) return linkCache.get(id) ?? null;
  const link = await prisma.link.findFirst({ where: { domain, key } });
  linkCache.set(id, link);
  return link;
}
