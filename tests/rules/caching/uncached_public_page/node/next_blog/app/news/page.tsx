import { unstable_noStore as noStore } from "next/cache";
import { prisma } from "../../lib/prisma";

export default async function NewsPage() {
  // ruleid: SC-CACHE-009
  noStore();
  const items = await prisma.news.findMany({ take: 10 });
  return <div>{items.length}</div>;
}
