import { prisma } from "../../../lib/prisma";

export async function loader() {
  // ok: SC-CACHE-009
  const res = await fetch("https://legacy.example.com/items", { cache: "no-store" });
  return { items: await res.json(), count: await prisma.item.count() };
}

// ok: SC-CACHE-009
export const dynamic = "force-dynamic";

export async function GET() {
  return loader();
}
