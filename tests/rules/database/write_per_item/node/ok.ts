import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();

export async function importItems(req: any) {
  // ok: SC-DB-009
  await prisma.item.createMany({ data: req.body.items.map((i: any) => ({ name: i.name })) });
}

export async function importInChunks(items: { name: string }[]) {
  for (let i = 0; i < items.length; i += 500) {
    // ok: SC-DB-009
    await prisma.item.createMany({ data: items.slice(i, i + 500) });
  }
}

export async function purge(ids: string[], chunks: string[][]) {
  for (const batch of chunks) {
    // one DELETE per chunk of keys, not per item
    // ok: SC-DB-009
    await prisma.item.deleteMany({ where: { id: { in: batch } } });
  }
  let deleted = 1;
  while (deleted > 0) {
    // ok: SC-DB-009
    deleted = (await prisma.$executeRaw`DELETE FROM logs WHERE id IN (SELECT id FROM logs LIMIT 1000)`) as number;
  }
}

export async function seedRoles() {
  for (const name of ["admin", "member", "viewer"]) {
    // ok: SC-DB-009
    await prisma.role.upsert({ where: { name }, create: { name }, update: {} });
  }
}

export async function upsertInBatches(rows: { id: string; value: string }[]) {
  const BATCH_SIZE = 1000;
  for (let i = 0; i < rows.length; i += BATCH_SIZE) {
    const batch = rows.slice(i, i + BATCH_SIZE);
    const ids = batch.map((r) => r.id);
    // one multi-row statement per chunk
    // ok: SC-DB-009
    await prisma.$executeRaw`INSERT INTO "Attr" ("id") SELECT * FROM unnest(${ids}::text[])`;
  }
}

export async function regroup(byType: Map<string, string[]>, surveyId: string) {
  for (const [hubFieldType, elementIds] of byType) {
    // one UPDATE per group of keys, not per item
    // ok: SC-DB-009
    await prisma.mapping.updateMany({ where: { surveyId, elementId: { in: elementIds } }, data: { hubFieldType } });
  }
}
