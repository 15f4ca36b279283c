import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();
const ROLES = ["admin", "editor", "viewer"] as const;

export async function usersById(ids: string[]) {
  // Prisma's dataloader batches findUnique calls issued in the same tick into one query
  return Promise.all(
    // ok: SC-DB-003
    ids.map((id) => prisma.user.findUnique({ where: { id } })),
  );
}

export async function postsWithAuthors() {
  // ok: SC-DB-003
  return prisma.post.findMany({ take: 20, include: { author: true, tags: true } });
}

export async function roleCounts() {
  const out: Record<string, number> = {};
  for (const role of ROLES) {
    // ok: SC-DB-003
    out[role] = await prisma.user.count({ where: { role } });
  }
  for (const status of ["draft", "published"]) {
    // ok: SC-DB-003
    out[status] = await prisma.post.count({ where: { status } });
  }
  return out;
}

export async function pickFromList(users: { id: string }[], wanted: string[]) {
  // plain array lookups, not queries
  // ok: SC-DB-003
  return wanted.map((id) => users.find((u) => u.id === id));
}

export async function importUsers(rows: { email: string }[]) {
  for (const row of rows) {
    // writes in a loop are not an N+1 read
    // ok: SC-DB-003
    await prisma.user.create({ data: { email: row.email } });
  }
}

export async function drainInBatches() {
  let cursor: string | undefined;
  while (true) {
    // ok: SC-DB-003
    const batch = await prisma.event.findMany({ take: 500, cursor: cursor ? { id: cursor } : undefined });
    if (batch.length === 0) break;
    cursor = batch[batch.length - 1].id;
  }
}
