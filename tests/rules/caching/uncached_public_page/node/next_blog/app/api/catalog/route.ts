import { NextResponse } from "next/server";
import { prisma } from "../../../lib/prisma";

// ruleid: SC-CACHE-009
export const dynamic = "force-dynamic";

export async function GET(_request: Request) {
  const categories = await prisma.category.findMany({ orderBy: { name: "asc" }, take: 100 });
  return NextResponse.json(categories);
}
