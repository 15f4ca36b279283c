// A Next.js route handler for an OAuth redirect: the provider calls it with GET and ?code=...
import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();

export async function GET(request: Request, { params }: { params: { provider: string } }) {
  const code = new URL(request.url).searchParams.get("code");
  // ok: SC-DB-011
  await prisma.account.create({ data: { provider: params.provider, code } });
  return Response.redirect("/");
}
