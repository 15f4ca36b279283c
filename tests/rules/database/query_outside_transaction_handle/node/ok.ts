import { PrismaClient } from "@prisma/client";
import { drizzle } from "drizzle-orm/node-postgres";
import { and, eq, inArray, sql } from "drizzle-orm";
import knexFactory from "knex";
import { DataSource } from "typeorm";
import { Sequelize } from "sequelize";
import { accounts, ledger } from "./schema";
import { Entry } from "./entities";
import { Wallet } from "./models";

const prisma = new PrismaClient();
const db = drizzle(process.env.DATABASE_URL!);
const knex = knexFactory({ client: "pg" });
const sequelize = new Sequelize(process.env.DATABASE_URL!);

export async function placeOrder(sku: string, data: any) {
  return prisma.$transaction(async (tx) => {
    // ok: SC-DB-010
    const order = await tx.order.create({ data });
    // ok: SC-DB-010
    await tx.stock.update({ where: { sku }, data: { qty: { decrement: 1 } } });
    return order;
  });
}

export async function batch(ids: string[]) {
  // the array form has no handle: Prisma runs these on one connection itself
  await prisma.$transaction([
    // ok: SC-DB-010
    prisma.post.deleteMany({ where: { id: { in: ids } } }),
    // ok: SC-DB-010
    prisma.comment.deleteMany({ where: { postId: { in: ids } } }),
  ]);
}

export async function transfer(from: number, to: number, amount: number) {
  await db.transaction(async (tx) => {
    // ok: SC-DB-010
    await tx.update(accounts).set({ balance: 0 }).where(eq(accounts.id, from));
    // ok: SC-DB-010
    await tx.insert(ledger).values({ accountId: to, amount });
  });
}

export async function archive(id: number) {
  await knex.transaction(async (trx) => {
    // ok: SC-DB-010
    await knex("posts").where({ id }).update({ archived: true }).transacting(trx);
  });
}

export class LedgerService {
  constructor(private readonly dataSource: DataSource) {}

  async credit(id: number, amount: number) {
    await this.dataSource.transaction(async (manager) => {
      const entries = manager.getRepository(Entry);
      // ok: SC-DB-010
      await entries.insert({ accountId: id, amount });
    });
  }
}

export async function topUp(id: number, amount: number) {
  await sequelize.transaction(async (t) => {
    // ok: SC-DB-010
    await Wallet.update({ touchedAt: new Date() }, { where: { id }, transaction: t });
  });
}

export async function shiftCards(listId: number, index: number) {
  await db.transaction(async (tx) => {
    // raw SQL run through the handle: the tagged template is the argument of `tx.execute`
    // ok: SC-DB-010
    await tx.execute(sql`
      UPDATE card SET index = index + 1
      WHERE "listId" = ${listId} AND index >= ${index}
    `);
  });
}

export async function moveFiles(id: number, from: string, to: string) {
  await db.transaction(async (tx) => {
    // `sql` templates inside a query built on the handle are parts of that query, not queries
    await tx
      .update(accounts)
      .set({
        // ok: SC-DB-010
        fileKey: sql`REPLACE(${accounts.fileKey}, ${from}, ${to})`,
      })
      .where(
        and(
          eq(accounts.id, id),
          // ok: SC-DB-010
          inArray(accounts.ownerId, sql`SELECT id FROM owners WHERE moved = true`),
        ),
      );
  });
}
