import { PrismaClient } from "@prisma/client";
import { drizzle } from "drizzle-orm/node-postgres";
import { eq } from "drizzle-orm";
import { orders } from "./schema";

const prisma = new PrismaClient();
const db = drizzle(process.env.DATABASE_URL!);

export async function importItems(req: any, res: any) {
  // a request array with no maximum: one INSERT per item, as many as the caller sends
  for (const item of req.body.items) {
    // ruleid: SC-DB-009 (low)
    await prisma.item.create({ data: { name: item.name, sku: item.sku } });
    // ruleid: SC-DB-009 (low)
    await prisma.stock.update({ where: { sku: item.sku }, data: { qty: item.qty } });
  }
  res.json({ ok: true });
}

export async function tagAll(req: any, res: any) {
  await Promise.all(
    // ruleid: SC-DB-009 (low)
    req.body.tags.map((name: string) => prisma.tag.upsert({ where: { name }, create: { name }, update: {} })),
  );
  res.sendStatus(204);
}

export async function settleUnpaid() {
  const unpaid = await db.select().from(orders).where(eq(orders.paid, false));
  for (const order of unpaid) {
    // ruleid: SC-DB-009 (high)
    await db.update(orders).set({ paid: true }).where(eq(orders.id, order.id));
  }
}

export async function firstFive(req: any) {
  // bounded by construction: low, and the message says why
  for (const item of req.body.items.slice(0, 5)) {
    // ruleid: SC-DB-009 (low)
    await prisma.item.create({ data: { name: item.name } });
  }
}

export async function linkTeams(userId: string, teamIds: string[]) {
  // where the list comes from is not shown: medium
  for (const teamId of teamIds) {
    // ruleid: SC-DB-009 (low)
    await prisma.teamUser.create({ data: { userId, teamId } });
  }
}

import { DEFAULT_GROUPS } from "./constants";

export async function createTeam(teamId: string) {
  // a constant list written in another module: bounded, low
  await Promise.all(
    // ruleid: SC-DB-009 (low)
    DEFAULT_GROUPS.map((group) => prisma.teamGroup.create({ data: { teamId, type: group.type } })),
  );
}
