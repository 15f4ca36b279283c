import express from "express";
import { prisma } from "./db";
import { searchPosts } from "./services/search";

const app = express();
app.use(express.json());

app.post("/members", async (req, res) => {
  res.json(await prisma.member.create({ data: req.body }));
});

app.post("/posts", async (req, res) => {
  res.json(await prisma.post.create({ data: req.body }));
});

app.get("/members/search", async (req, res) => {
  const q = String(req.query.q ?? "").trim();
  // a substring search on Member.name: no trigram index covers it
  // ruleid: SC-DB-014
  const members = await prisma.member.findMany({ where: { name: { contains: q, mode: "insensitive" } }, take: 20 });
  res.json(members);
});

app.get("/members/lookup", async (req, res) => {
  const { term } = req.query;
  // an OR of two substring searches: one finding for the Member table (same cause)
  // ruleid: SC-DB-014
  const rows = await prisma.member.findMany({
    where: { deletedAt: null, OR: [{ name: { contains: term as string } }, { bio: { endsWith: term as string } }] },
  });
  res.json(rows);
});

app.get("/members/find", async (req, res) => {
  const q = req.query.q as string | undefined;
  // the search applies when the request asks for one
  // ruleid: SC-DB-014
  res.json(await prisma.member.findMany({ where: { bio: q ? { contains: q, mode: "insensitive" } : undefined }, take: 20 }));
});

app.get("/members/by-email", async (req, res) => {
  // the trigram index of the SQL migration covers email
  // ok: SC-DB-014
  res.json(await prisma.member.findMany({ where: { email: { contains: String(req.query.q) } }, take: 20 }));
});

app.get("/members/by-prefix", async (req, res) => {
  // a prefix search: a b-tree index serves it
  // ok: SC-DB-014
  res.json(await prisma.member.findMany({ where: { name: { startsWith: String(req.query.q) } }, take: 20 }));
});

app.get("/members/example", async (_req, res) => {
  // a literal pattern, not the request's text
  // ok: SC-DB-014
  res.json(await prisma.member.findMany({ where: { email: { endsWith: "@example.com" } } }));
});

app.get("/products/search", async (req, res) => {
  // schema.prisma declares a trigram GIN index on Product.name
  // ok: SC-DB-014
  res.json(await prisma.product.findMany({ where: { name: { contains: String(req.query.q), mode: "insensitive" } } }));
});

app.get("/topics", async (req, res) => {
  // Topic is a catalog table (only the seed inserts into it)
  // ok: SC-DB-014
  res.json(await prisma.topic.findMany({ where: { label: { contains: String(req.query.q) } } }));
});

app.get("/members/:id/posts", async (req, res) => {
  // one author's posts: the foreign key narrows the rows first
  // ok: SC-DB-014
  const posts = await prisma.post.findMany({
    where: { authorId: Number(req.params.id), title: { contains: String(req.query.q) } },
  });
  res.json(posts);
});

app.get("/posts/search", async (req, res) => {
  res.json(await searchPosts(String(req.query.q)));
});

app.post("/comments", async (req, res) => {
  res.json(await prisma.comment.create({ data: req.body }));
});

app.get("/comments/search", async (req, res) => {
  const scope = { hidden: false };
  // part of the filter is built elsewhere: it may scope the search to one owner
  // ruleid: SC-DB-014 low
  res.json(await prisma.comment.findMany({ where: { ...scope, text: { contains: String(req.query.q) } } }));
});

app.get("/posts/raw", async (req, res) => {
  const q = req.query.q as string;
  // ruleid: SC-DB-014
  const rows = await prisma.$queryRaw`SELECT id, title FROM "Post" WHERE body ILIKE ${"%" + q + "%"} LIMIT 20`;
  res.json(rows);
});

app.get("/admin/members", async (req, res) => {
  // admins only: a handful of people, not the traffic that grows
  // ok: SC-DB-014
  res.json(await prisma.member.findMany({ where: { bio: { contains: String(req.query.q) } } }));
});

app.listen(3000);
