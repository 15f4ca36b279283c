// A Next.js route handler that counts clicks on every GET: a write per read.
import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();

export async function GET(_request: Request, { params }: { params: { slug: string } }) {
  // ruleid: SC-DB-011 (high)
  const link = await prisma.link.update({ where: { slug: params.slug }, data: { clicks: { increment: 1 } } });
  return Response.json(link);
}
