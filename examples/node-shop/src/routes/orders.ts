import { Router } from "express";
import { redis } from "../cache";
import { prisma } from "../db";
import { checkout, getOrderDetail, listOrdersWithItems } from "../services/orderService";

export const orders = Router();

orders.get("/orders", async (req, res) => {
  const page = Number(req.query.page ?? 1);
  const size = Number(req.query.limit ?? 50);
  const [rows, total] = await Promise.all([
    prisma.order.findMany({ skip: (page - 1) * size, take: size, orderBy: { id: "desc" } }),
    prisma.order.count(),
  ]);
  res.json({ rows, total, page });
});

orders.get("/orders/pending-count", async (_req, res) => {
  // the operations badge: counts every pending order on every poll
  const pending = await prisma.order.count({ where: { status: "pending" } });
  res.json({ pending });
});

orders.get("/me/orders", async (req: any, res) => {
  const cached = await redis.get("orders:recent");
  if (cached) return res.json(JSON.parse(cached));
  const rows = await listOrdersWithItems(req.user.id);
  await redis.set("orders:recent", JSON.stringify(rows), "EX", 60);
  res.json(rows);
});

orders.get("/orders/:id", async (req, res) => {
  res.json(await getOrderDetail(Number(req.params.id)));
});

orders.post("/checkout", async (req: any, res) => {
  const order = await checkout(req.user.id, req.body.items);
  await prisma.auditLog.create({ data: { userId: req.user.id, action: `checkout ${order.id}` } });
  res.status(201).json(order);
});
