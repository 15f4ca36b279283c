const mongoose = require("mongoose");
const { PrismaClient } = require("@prisma/client");
const Post = mongoose.model("Post");
const prisma = new PrismaClient();

async function listPosts() {
  // two levels with a projection: fine
  // ok: SC-DB-007
  return Post.find({ published: true }).populate({ path: "author", select: "name", populate: { path: "avatar" } }).limit(20).lean();
}

async function deepPopulate() {
  // ruleid: SC-DB-007
  return Post.find({ published: true }).populate({ path: "comments", populate: { path: "author", populate: { path: "team" } } }).limit(20);
}

async function onePost(id) {
  // a single-row read may load a deeper tree
  // ok: SC-DB-007
  return prisma.post.findUnique({ where: { id }, include: { comments: { include: { author: { include: { profile: true } } } } } });
}

async function withCounts() {
  // ok: SC-DB-007
  return prisma.post.findMany({ take: 20, select: { id: true, title: true, author: { select: { name: true } }, _count: { select: { comments: true, likes: true } } } });
}

module.exports = { listPosts, deepPopulate, onePost, withCounts };

async function orderReceipt(id) {
  // ruleid: SC-DB-007
  return prisma.order.findUnique({ where: { id }, include: { items: { include: { product: { include: { reviews: { include: { author: true } } } } } } } });
}

module.exports.orderReceipt = orderReceipt;
