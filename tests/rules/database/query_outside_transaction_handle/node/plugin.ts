import { Plugin } from "@acme/server";
import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();

export class HistoryPlugin extends Plugin {
  async beforeLoad() {
    // a listener registered in a lifecycle method runs per event: per request that adds a collection
    this.app.on("collections.afterCreate", async (collection: { id: number; name: string }) => {
      await prisma.$transaction(async (tx) => {
        await tx.history.create({ data: { name: collection.name } });
        // ruleid: SC-DB-010
        await prisma.collection.update({ where: { id: collection.id }, data: { tracked: true } });
      });
    });
  }

  // run once, when the plugin is installed: no concurrent runs to exhaust the pool
  async install() {
    await prisma.$transaction(async (tx) => {
      // ruleid: SC-DB-010 low
      if ((await prisma.history.count()) === 0) {
        const all = await tx.collection.findMany();
        await tx.history.createMany({ data: all.map((c) => ({ name: c.name })) });
      }
    });
  }
}
