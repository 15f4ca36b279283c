import { FastifyInstance } from "fastify";
import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();

// a plugin nobody registers
export default async function draftsRoutes(fastify: FastifyInstance) {
  fastify.get("/drafts", async () => {
    // ok: SC-DB-004
    return prisma.post.findMany({ orderBy: { createdAt: "desc" } });
  });
}
