import { getServerSession } from "next-auth";
import { prisma } from "../../lib/prisma";

// ok: SC-CACHE-009
export const dynamic = "force-dynamic";

export default async function Dashboard() {
  const session = await getServerSession();
  const orders = await prisma.order.findMany({ where: { userEmail: session?.user?.email ?? "" }, take: 20 });
  return <div>{orders.length}</div>;
}
