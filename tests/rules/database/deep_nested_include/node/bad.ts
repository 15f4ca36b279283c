import { PrismaClient } from "@prisma/client";
import { Repository } from "typeorm";
import { Post } from "./post.entity";

const prisma = new PrismaClient();

export async function threadDump() {
  // ruleid: SC-DB-007
  return prisma.post.findMany({
    take: 20,
    include: { comments: { include: { author: { include: { profile: true } } } } },
  });
}

export async function everything() {
  // ruleid: SC-DB-007
  return prisma.user.findMany({
    take: 50,
    include: { posts: true, comments: true, likes: true, followers: true, sessions: true },
  });
}

export class PostService {
  constructor(private readonly postRepository: Repository<Post>) {}

  feed() {
    // ruleid: SC-DB-007
    return this.postRepository.find({ relations: ["author", "comments", "comments.author", "comments.author.avatar"], take: 20 });
  }
}

// A nightly job that builds a full export: no request waits on it.
export async function nightlyExport() {
  // ok: SC-DB-007
  return prisma.post.findMany({ include: { comments: { include: { author: { include: { profile: true } } } } } });
}
