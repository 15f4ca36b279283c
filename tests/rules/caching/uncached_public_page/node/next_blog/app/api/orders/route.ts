import { NextResponse } from "next/server";
import { prisma } from "../../../lib/prisma";

// ok: SC-CACHE-009
export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  const body = await request.json();
  const order = await prisma.order.create({ data: body });
  return NextResponse.json(order);
}
