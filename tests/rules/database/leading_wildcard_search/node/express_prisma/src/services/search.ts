import { prisma } from "../db";

export async function searchPosts(term: string) {
  // the text comes from the caller: GET /posts/search passes the request's `q`
  // ruleid: SC-DB-014
  return prisma.post.findMany({ where: { body: { contains: term, mode: "insensitive" } }, take: 20 });
}

export async function postsMentioning(term: string) {
  // ok: SC-DB-014 (only a background job calls it, with a constant)
  return prisma.post.findMany({ where: { title: { contains: term } }, take: 20 });
}
