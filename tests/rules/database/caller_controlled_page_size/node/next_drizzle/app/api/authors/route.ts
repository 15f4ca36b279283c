import { db } from "../../../db";

const MAX_AUTHORS = 50;

export async function GET(request: Request) {
  const { searchParams } = new URL(request.url);
  const wanted = Number(searchParams.get("n") ?? 10);
  // ok: SC-DB-012
  const capped = await db.query.authors.findMany({ limit: Math.min(wanted, MAX_AUTHORS) });
  // ruleid: SC-DB-012
  const all = await db.query.authors.findMany({ limit: wanted, orderBy: (a, { asc }) => [asc(a.name)] });
  return Response.json({ capped, all });
}
