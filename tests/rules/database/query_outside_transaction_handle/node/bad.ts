import { PrismaClient } from "@prisma/client";
import { drizzle } from "drizzle-orm/node-postgres";
import { eq, sql } from "drizzle-orm";
import knexFactory from "knex";
import { DataSource, Repository } from "typeorm";
import { Sequelize } from "sequelize";
import { accounts, ledger } from "./schema";
import { Account, Entry } from "./entities";
import { Wallet } from "./models";

const prisma = new PrismaClient();
const db = drizzle(process.env.DATABASE_URL!);
const knex = knexFactory({ client: "pg" });
const sequelize = new Sequelize(process.env.DATABASE_URL!);

export async function placeOrder(sku: string, data: any) {
  return prisma.$transaction(async (tx) => {
    const order = await tx.order.create({ data });
    // ruleid: SC-DB-010
    await prisma.stock.update({ where: { sku }, data: { qty: { decrement: 1 } } });
    return order;
  });
}

export async function transfer(from: number, to: number, amount: number) {
  await db.transaction(async (tx) => {
    await tx.update(accounts).set({ balance: 0 }).where(eq(accounts.id, from));
    // ruleid: SC-DB-010
    await db.insert(ledger).values({ accountId: to, amount });
  });
}

export async function archive(id: number) {
  await knex.transaction(async (trx) => {
    await trx("posts").where({ id }).update({ archived: true });
    // ruleid: SC-DB-010
    await knex("audit").insert({ postId: id });
  });
}

export class LedgerService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accountRepository: Repository<Account>,
  ) {}

  async credit(id: number, amount: number) {
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(Entry).insert({ accountId: id, amount });
      // ruleid: SC-DB-010
      await this.accountRepository.update({ id }, { lastCreditAt: new Date() });
    });
  }
}

export async function topUp(id: number, amount: number) {
  await sequelize.transaction(async (t) => {
    await Wallet.increment({ balance: amount }, { where: { id }, transaction: t });
    // ruleid: SC-DB-010
    await Wallet.update({ touchedAt: new Date() }, { where: { id } });
  });
}

export async function shiftCards(listId: number, index: number) {
  await db.transaction(async (tx) => {
    await tx.update(accounts).set({ balance: 0 }).where(eq(accounts.id, listId));
    // ruleid: SC-DB-010
    await db.execute(sql`
      UPDATE card SET index = index + 1
      WHERE "listId" = ${listId} AND index >= ${index}
    `);
  });
}

export async function moveFiles(id: number, from: string, to: string) {
  await db.transaction(async (tx) => {
    await tx.update(accounts).set({ balance: 0 }).where(eq(accounts.id, id));
    // the update runs on the global client; its `sql` value is part of it
    // ruleid: SC-DB-010
    await db
      .update(ledger)
      .set({ fileKey: sql`REPLACE(${ledger.fileKey}, ${from}, ${to})` })
      .where(eq(ledger.accountId, id));
  });
}
