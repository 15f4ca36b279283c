import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();

// a nightly job, not the request path
export async function nightly() {
  // ok: SC-DB-017
  const n = await prisma.invoice.count({ where: { status: "paid" } });
  console.log(n + 1);
}
