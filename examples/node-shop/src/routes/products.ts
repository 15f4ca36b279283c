import { Router } from "express";
import { redis } from "../cache";
import { prisma } from "../db";
import { getProductCached } from "../lib/memo";

export const products = Router();

products.get("/products", async (req, res) => {
  const category = String(req.query.category ?? "general");
  const rows = await prisma.product.findMany({ where: { category }, orderBy: { createdAt: "desc" } });
  res.json(rows);
});

products.get("/products/search", async (req, res) => {
  const q = String(req.query.q ?? "").trim();
  const found = await prisma.product.findMany({
    where: { name: { contains: q, mode: "insensitive" } },
    orderBy: { id: "asc" },
    take: 20,
  });
  res.json(found);
});

products.get("/products/:id", async (req, res) => {
  const key = `product:${req.params.id}`;
  const cached = await redis.get(key);
  if (cached) {
    return res.json(JSON.parse(cached));
  }
  const product = await prisma.product.findUnique({ where: { id: Number(req.params.id) } });
  await redis.set(key, JSON.stringify(product));
  res.json(product);
});

products.get("/products/:id/summary", async (req, res) => {
  const product: any = await getProductCached(Number(req.params.id));
  res.json({ id: product?.id, name: product?.name, priceCents: product?.priceCents });
});

products.put("/products/:id", async (req, res) => {
  const product = await prisma.product.update({ where: { id: Number(req.params.id) }, data: req.body });
  const keys = await redis.keys("product*");
  if (keys.length) await redis.del(...keys);
  res.json(product);
});

products.post("/products/:id/reserve", async (req, res) => {
  const quantity = Number(req.body.quantity ?? 1);
  const product = await prisma.product.findUnique({ where: { id: Number(req.params.id) } });
  if (!product || product.stock < quantity) return res.status(409).json({ error: "out of stock" });
  // two concurrent reservations both read the same stock and both write stock - quantity
  const updated = await prisma.product.update({ where: { id: product.id }, data: { stock: product.stock - quantity } });
  res.json(updated);
});

products.post("/products/:id/reviews", async (req, res) => {
  const productId = Number(req.params.id);
  const authorId = Number(req.body.authorId);
  // one review per customer and product, checked here only: Review has no unique key on the pair
  const existing = await prisma.review.findFirst({ where: { productId, authorId } });
  if (existing) return res.status(409).json({ error: "already reviewed" });
  const review = await prisma.review.create({
    data: { productId, authorId, rating: Number(req.body.rating), body: String(req.body.body) },
  });
  res.status(201).json(review);
});
