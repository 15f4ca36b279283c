import { prisma } from "../../lib/prisma";

// ok: SC-CACHE-009
export const dynamic = "force-dynamic";

export default async function SearchPage({ searchParams }: { searchParams: { q?: string } }) {
  const hits = await prisma.post.findMany({ where: { title: { contains: searchParams.q ?? "" } }, take: 20 });
  return <div>{hits.length}</div>;
}
