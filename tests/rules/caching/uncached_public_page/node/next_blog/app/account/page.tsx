import { cookies } from "next/headers";
import { prisma } from "../../lib/prisma";

// ok: SC-CACHE-009
export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const token = (await cookies()).get("sid")?.value;
  const user = await prisma.user.findFirst({ where: { sessionToken: token } });
  return <div>{user?.name}</div>;
}
