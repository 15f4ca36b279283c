import express from "express";
import { initTRPC } from "@trpc/server";
import { createExpressMiddleware } from "@trpc/server/adapters/express";
import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();
const t = initTRPC.create();

export const articleRouter = t.router({
  // a tRPC query is served over GET and prefetched by the client: a write here runs on every read
  byId: t.procedure.query(async ({ input }: { input: { id: string } }) =>
    // ruleid: SC-DB-011 (high)
    prisma.article.update({ where: { id: input.id }, data: { views: { increment: 1 } } }),
  ),
  like: t.procedure.mutation(async ({ input }: { input: { id: string } }) =>
    // ok: SC-DB-011
    prisma.article.update({ where: { id: input.id }, data: { likes: { increment: 1 } } }),
  ),
});

const api = express();
api.use("/trpc", createExpressMiddleware({ router: articleRouter, createContext: () => ({}) }));
api.listen(4001);
