import { LRUCache } from "lru-cache";
import NodeCache from "node-cache";
import { prisma } from "./db";

// ruleid: SC-CACHE-002
const userCache = new Map<string, unknown>();
// ruleid: SC-CACHE-002 low
const profiles = new LRUCache<string, unknown>({ max: 500, ttl: 60_000 });
// ok: SC-CACHE-002
const templates = new Map<string, string>();
// ok: SC-CACHE-002
const unused = new NodeCache({ stdTTL: 60 });

export async function getUser(id: string) {
  if (userCache.has(id)) return userCache.get(id);
  const user = await prisma.user.findUnique({ where: { id } });
  userCache.set(id, user);
  return user;
}

export async function getProfile(id: string) {
  const hit = profiles.get(id);
  if (hit) return hit;
  const profile = await prisma.profile.findUnique({ where: { userId: id } });
  profiles.set(id, profile);
  return profile;
}

export function render(name: string) {
  if (templates.has(name)) return templates.get(name);
  const t = `<h1>${name}</h1>`;
  templates.set(name, t);
  return t + String(unused.keys().length);
}
