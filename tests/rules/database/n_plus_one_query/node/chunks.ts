import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function contactsOf(ids: string[]) {
  const rows = [];
  for (const batch of chunk(ids, 500)) {
    // ok: SC-DB-003 (one IN query per chunk of 500 keys)
    rows.push(...(await prisma.contact.findMany({ where: { id: { in: batch } } })));
  }
  return rows;
}

export async function tagsPerUser(users: { id: string }[], tagIds: string[]) {
  const out = [];
  for (const user of users) {
    // ruleid: SC-DB-003 low
    out.push(await prisma.tag.findMany({ where: { ownerId: user.id, id: { in: tagIds } } }));
  }
  return out;
}
