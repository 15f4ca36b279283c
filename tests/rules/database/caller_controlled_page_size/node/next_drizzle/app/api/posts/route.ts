import { desc } from "drizzle-orm";
import { db } from "../../../db";
import { posts } from "../../../db/schema";

export async function GET(request: Request) {
  const { searchParams } = new URL(request.url);
  const batch = Number(searchParams.get("batch") ?? 20);
  // ruleid: SC-DB-012
  const rows = await db.select().from(posts).orderBy(desc(posts.id)).limit(batch);
  return Response.json(rows);
}
