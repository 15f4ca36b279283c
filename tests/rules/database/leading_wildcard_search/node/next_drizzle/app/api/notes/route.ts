import { ilike } from "drizzle-orm";
import { db } from "../../../db";
import { notes } from "../../../db/schema";

export async function GET(request: Request) {
  const q = new URL(request.url).searchParams.get("q") ?? "";
  // ruleid: SC-DB-014
  const rows = await db.query.notes.findMany({ where: ilike(notes.content, `%${q}%`), limit: 10 });
  return Response.json(rows);
}
