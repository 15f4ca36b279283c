import { FastifyInstance } from "fastify";
import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();

// served as GET /posts/feed
export default async function postsRoutes(fastify: FastifyInstance) {
  fastify.get("/feed", async () => {
    // ruleid: SC-DB-004
    return prisma.post.findMany({ orderBy: { createdAt: "desc" } });
  });
}
