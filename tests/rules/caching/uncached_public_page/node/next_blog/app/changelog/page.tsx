import { prisma } from "../../lib/prisma";

// ok: SC-CACHE-009
export const revalidate = 3600;

export default async function Changelog() {
  const entries = await prisma.release.findMany({ orderBy: { date: "desc" }, take: 30 });
  return <div>{entries.length}</div>;
}
