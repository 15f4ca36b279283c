import { Controller, Get } from "@nestjs/common";
import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();

@Controller("reports")
export class ReportsController {
  @Get()
  list() {
    // ok: SC-DB-004
    return prisma.post.findMany({ orderBy: { createdAt: "desc" } });
  }
}
