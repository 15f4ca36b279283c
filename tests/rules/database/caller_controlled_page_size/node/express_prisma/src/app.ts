import express from "express";
import { prisma, knex, Comment } from "./db";
import { ProductQuery, ReviewQuery } from "./schemas";
import { listInvoices, listPayments } from "./services/invoices";
import { config } from "./config";
import { reports } from "./reports";

const app = express();

app.get("/orders", async (req, res) => {
  const take = Number(req.query.rows) || 20;
  // ruleid: SC-DB-012
  const orders = await prisma.order.findMany({ take, orderBy: { id: "desc" } });
  res.json(orders);
});

app.get("/orders/recent", async (req, res) => {
  const take = Math.min(Math.max(Number(req.query.rows) || 20, 1), 100);
  // ok: SC-DB-012
  const orders = await prisma.order.findMany({ take, orderBy: { id: "desc" } });
  res.json(orders);
});

app.get("/orders/open", async (req, res) => {
  const first = parseInt(String(req.query.first ?? "20"), 10);
  if (first > 200) {
    return res.status(400).json({ error: "first must be at most 200" });
  }
  // ok: SC-DB-012
  const orders = await prisma.order.findMany({ where: { status: "open" }, take: first });
  res.json(orders);
});

app.get("/orders/latest", async (_req, res) => {
  // ok: SC-DB-012
  const orders = await prisma.order.findMany({ take: 50, orderBy: { id: "desc" } });
  // ok: SC-DB-012
  const more = await prisma.order.findMany({ take: config.pageSize, orderBy: { id: "asc" } });
  res.json([...orders, ...more]);
});

app.get("/products", async (req, res) => {
  const { category, limit } = ProductQuery.parse(req.query);
  // ok: SC-DB-012
  const products = await prisma.product.findMany({ where: { category }, take: limit });
  res.json(products);
});

app.get("/reviews", async (req, res) => {
  const query = ReviewQuery.parse(req.query);
  // ruleid: SC-DB-012
  const reviews = await prisma.review.findMany({ where: { productId: query.productId }, take: query.pageSize });
  res.json(reviews);
});

app.get("/customers/:id/invoices", async (req, res) => {
  res.json(await listInvoices(req.params.id, Number(req.query.batchSize)));
});

app.get("/customers/:id/payments", async (req, res) => {
  res.json(await listPayments(req.params.id, 25));
});

app.get("/events", async (req, res) => {
  const { count } = req.query;
  // ruleid: SC-DB-012
  const rows = await knex("events").where({ kind: "sale" }).orderBy("id", "desc").limit(Number(count));
  res.json(rows);
});

app.get("/posts/:id/comments", async (req, res) => {
  // ruleid: SC-DB-012
  const comments = await Comment.findAll({ where: { postId: req.params.id }, limit: parseInt(req.query.max as string) });
  res.json(comments);
});

app.use("/reports", reports);

app.listen(3000);
