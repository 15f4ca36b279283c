import { ilike } from "drizzle-orm";
import { db } from "../../../db";
import { authors } from "../../../db/schema";

export async function GET(request: Request) {
  const { searchParams } = new URL(request.url);
  const q = searchParams.get("q") ?? "";
  // ruleid: SC-DB-014
  const byName = await db.select().from(authors).where(ilike(authors.displayName, `%${q}%`)).limit(10);
  // the drizzle-kit SQL migration adds a trigram index on city
  // ok: SC-DB-014
  const byCity = await db.select().from(authors).where(ilike(authors.city, `%${q}%`)).limit(10);
  return Response.json({ byName, byCity });
}

export async function POST(request: Request) {
  return Response.json(await db.insert(authors).values(await request.json()).returning());
}
