import { NextRequest, NextResponse } from "next/server";
import { prisma } from "../../../lib/prisma";

// ok: SC-CACHE-009
export const dynamic = "force-dynamic";

export async function GET(request: NextRequest) {
  const cursor = request.nextUrl.searchParams.get("cursor");
  const posts = await prisma.post.findMany({ take: 20, cursor: cursor ? { id: cursor } : undefined });
  return NextResponse.json(posts);
}
