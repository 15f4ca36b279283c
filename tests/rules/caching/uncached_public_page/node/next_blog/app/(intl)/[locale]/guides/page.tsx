import { prisma } from "../../../../lib/prisma";

// ok: SC-CACHE-009
export const dynamic = "force-dynamic";

export default async function Guides() {
  const guides = await prisma.guide.findMany({ take: 20 });
  return <div>{guides.length}</div>;
}
