import { NextResponse } from "next/server";

// ok: SC-CACHE-009
export const dynamic = "force-dynamic";

export async function GET() {
  return NextResponse.json({ ok: true, at: Date.now() });
}
