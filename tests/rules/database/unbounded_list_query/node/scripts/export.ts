import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();

export async function main() {
  // ok: SC-DB-004
  const users = await prisma.user.findMany();
  console.log(JSON.stringify(users));
}
main();
