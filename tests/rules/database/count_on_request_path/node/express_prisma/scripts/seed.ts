import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();

async function main() {
  await prisma.plan.create({ data: { id: "free", name: "Free", maxProjects: 3 } });
}

main();
