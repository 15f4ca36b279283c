// Join keys are not filter columns: a join on users' primary key needs no index, and the
// column a query filters on is named, not the join's foreign key.
import express from "express";
import { drizzle } from "drizzle-orm/node-postgres";
import { and, eq, gt } from "drizzle-orm";
import { posts, users } from "./schema";

const db = drizzle(process.env.DATABASE_URL!);
const app = express();

app.get("/posts/with-authors", async (req, res) => {
  // filters on the indexed siteId; authorId is only the join key
  // ok: SC-DB-006
  const rows = await db
    .select()
    .from(posts)
    .leftJoin(users, eq(posts.authorId, users.id))
    .where(eq(posts.siteId, Number(req.query.site)))
    .limit(20);
  res.json(rows);
});

app.get("/posts/by-status", async (req, res) => {
  // the filter is status (unindexed), not the join key authorId
  // ruleid: SC-DB-006
  const rows = await db
    .select()
    .from(posts)
    .innerJoin(users, eq(posts.authorId, users.id))
    .where(and(eq(posts.status, String(req.query.s)), gt(posts.createdAt, new Date(0))))
    .orderBy(posts.createdAt)
    .limit(20);
  res.json(rows);
});

app.get("/posts/published", async (req, res) => {
  // the only filter is a boolean (low: an index alone barely narrows it); authorId is the join
  // key, not a filter
  // ruleid: SC-DB-006 low
  const rows = await db.select().from(posts).innerJoin(users, eq(posts.authorId, users.id)).where(eq(posts.published, true)).limit(20);
  res.json(rows);
});

app.get("/users/:id/posts", async (req, res) => {
  // one user by its key, then its posts through posts.authorId: a lookup from the other side
  // ruleid: SC-DB-006
  const rows = await db.select().from(users).innerJoin(posts, eq(posts.authorId, users.id)).where(eq(users.id, req.params.id));
  res.json(rows);
});

app.get("/posts/:id/author", async (req, res) => {
  // one post by its key, then its author by users' primary key: no index needed
  // ok: SC-DB-006
  const rows = await db.select().from(posts).innerJoin(users, eq(posts.authorId, users.id)).where(eq(posts.id, req.params.id));
  res.json(rows);
});

app.listen(3000);
