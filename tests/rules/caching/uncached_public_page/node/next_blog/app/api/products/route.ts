import { NextResponse } from "next/server";
import { prisma } from "../../../lib/prisma";

// ruleid: SC-CACHE-009
export const dynamic = "force-dynamic";

export async function GET() {
  const products = await prisma.product.findMany({ where: { active: true }, take: 50 });
  return NextResponse.json(products);
}
