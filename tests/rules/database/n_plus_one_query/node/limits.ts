// How many rows the loop's source query can return: a declared small limit bounds the loop.
import { PrismaClient } from "@prisma/client";
import knex from "knex";

const prisma = new PrismaClient();
const db = knex({ client: "pg" });
const SPOTLIGHT = 5;

export async function spotlight() {
  const users = await prisma.user.findMany({ take: SPOTLIGHT, orderBy: { score: "desc" } });
  const out = [];
  for (const user of users) {
    // ruleid: SC-DB-003 low
    out.push(await prisma.post.findMany({ where: { authorId: user.id } }));
  }
  return out;
}

export async function latestTeams() {
  const teams = await db("teams").orderBy("created_at", "desc").limit(10);
  for (const team of teams) {
    // ruleid: SC-DB-003 low
    team.members = await db("members").where({ team_id: team.id });
  }
  return teams;
}

export async function clampedPage(size: number) {
  const rows = await prisma.order.findMany({ take: Math.min(size, 10) });
  for (const row of rows) {
    // ruleid: SC-DB-003 low
    row.lines = await prisma.orderLine.findMany({ where: { orderId: row.id } });
  }
  return rows;
}

export async function everyTeam() {
  // the true case: a limit far above a handful, or none, leaves N to the data
  const teams = await db("teams").limit(5000);
  for (const team of teams) {
    // ruleid: SC-DB-003
    team.members = await db("members").where({ team_id: team.id });
  }
  return teams;
}

export async function listingPage() {
  // a listing page of 50: the N+1 every request of a list endpoint pays
  const users = await prisma.user.findMany({ take: 50 });
  for (const user of users) {
    // ruleid: SC-DB-003
    user.posts = await prisma.post.findMany({ where: { authorId: user.id } });
  }
  return users;
}

export async function pageOf(size: number) {
  const users = await prisma.user.findMany({ take: size });
  for (const user of users) {
    // ruleid: SC-DB-003
    user.posts = await prisma.post.findMany({ where: { authorId: user.id } });
  }
  return users;
}

export async function tagsOfRecentPosts() {
  // five posts, but any number of tags: flatMap does not keep the bound
  const posts = await prisma.post.findMany({ take: 5, include: { tags: true } });
  for (const tag of posts.flatMap((p) => p.tags)) {
    // ruleid: SC-DB-003
    await prisma.tagStat.findFirst({ where: { tagId: tag.id } });
  }
}

export async function nestedIncludes() {
  // nested eager loads: the relations are read from memory, no query runs in the loops
  // ok: SC-DB-003
  const users = await prisma.user.findMany({ include: { posts: { include: { comments: true } } } });
  const counts: number[] = [];
  for (const user of users) {
    for (const post of user.posts) {
      counts.push(post.comments.length);
    }
  }
  return counts;
}

export async function includedButQueriedAgain() {
  // the include loaded the posts, yet the loop asks the database again: still one query per user
  const users = await prisma.user.findMany({ include: { posts: true } });
  for (const user of users) {
    // ruleid: SC-DB-003
    await prisma.post.count({ where: { authorId: user.id } });
  }
}
