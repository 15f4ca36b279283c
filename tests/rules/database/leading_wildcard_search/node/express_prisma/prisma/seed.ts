import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();

async function main() {
  await prisma.topic.createMany({ data: [{ label: "news" }, { label: "help" }] });
}

main();
