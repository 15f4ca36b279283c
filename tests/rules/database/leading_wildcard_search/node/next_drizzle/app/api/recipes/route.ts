import { ilike, like, or } from "drizzle-orm";
import { db } from "../../../db";
import { recipes } from "../../../db/schema";

export async function GET(request: Request) {
  const { searchParams } = new URL(request.url);
  const q = searchParams.get("q") ?? "";
  const pattern = `%${q}%`;
  // ruleid: SC-DB-014
  const found = await db.select().from(recipes).where(ilike(recipes.ingredients, pattern)).limit(20);
  // trigram indexes on title (sql`...` form) and summary (.op() form) serve these
  // ok: SC-DB-014
  const titled = await db.select().from(recipes).where(or(ilike(recipes.title, pattern), ilike(recipes.summary, pattern)));
  // a full-text index over instructions
  // ok: SC-DB-014
  const cooked = await db.select().from(recipes).where(like(recipes.instructions, `%${q}%`));
  // a prefix search
  // ok: SC-DB-014
  const prefixed = await db.select().from(recipes).where(ilike(recipes.ingredients, `${q}%`));
  return Response.json({ found, titled, cooked, prefixed });
}

export async function POST(request: Request) {
  const body = await request.json();
  return Response.json(await db.insert(recipes).values(body).returning());
}
