import { prisma } from "../../../lib/prisma";

// ok: SC-CACHE-009
export const dynamic = "force-dynamic";

export default async function Reports() {
  const rows = await prisma.report.findMany({ take: 100 });
  return <div>{rows.length}</div>;
}
