import { Controller, Get } from "@nestjs/common";
import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();

// served as GET /api/posts
@Controller("posts")
export class PostsController {
  @Get()
  list() {
    // ruleid: SC-DB-004
    return prisma.post.findMany({ orderBy: { createdAt: "desc" } });
  }
}
