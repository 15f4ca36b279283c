import { Prisma } from "@prisma/client";
import { Router } from "express";
import { redis } from "../cache";
import { prisma } from "../db";
import { getProductCached } from "../lib/memo";

export const products = Router();

products.get("/products", async (req, res) => {
  const category = String(req.query.category ?? "general");
  const cursor = req.query.cursor ? Number(req.query.cursor) : undefined;
  const rows = await prisma.product.findMany({
    where: { category },
    orderBy: { createdAt: "desc" },
    take: 50,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
  });
  res.json({ rows, next: rows.length ? rows[rows.length - 1].id : null });
});

// served by the trigram index on Product.name (schema.prisma)
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
  res.json(await getProductCached(Number(req.params.id)));
});

products.get("/products/:id/summary", async (req, res) => {
  const product: any = await getProductCached(Number(req.params.id));
  res.json({ id: product?.id, name: product?.name, priceCents: product?.priceCents });
});

products.put("/products/:id", async (req, res) => {
  const id = Number(req.params.id);
  const product = await prisma.product.update({ where: { id }, data: req.body });
  await redis.del(`product:${id}`);
  res.json(product);
});

products.post("/products/:id/reserve", async (req, res) => {
  const quantity = Number(req.body.quantity ?? 1);
  // the database subtracts, and only while enough stock is left: no read-modify-write race
  const { count } = await prisma.product.updateMany({
    where: { id: Number(req.params.id), stock: { gte: quantity } },
    data: { stock: { decrement: quantity } },
  });
  if (count === 0) return res.status(409).json({ error: "out of stock" });
  res.json({ reserved: quantity });
});

products.post("/products/:id/reviews", async (req, res) => {
  const productId = Number(req.params.id);
  const authorId = Number(req.body.authorId);
  try {
    // @@unique([productId, authorId]) on Review: a second review of the same product fails here
    const review = await prisma.review.create({
      data: { productId, authorId, rating: Number(req.body.rating), body: String(req.body.body) },
    });
    res.status(201).json(review);
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      return res.status(409).json({ error: "already reviewed" });
    }
    throw e;
  }
});
