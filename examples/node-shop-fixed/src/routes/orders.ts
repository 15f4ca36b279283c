import { Router } from "express";
import { cached } from "../lib/cache";
import { prisma } from "../db";
import { checkout, getOrderDetail, listOrdersWithItems } from "../services/orderService";

export const orders = Router();

orders.get("/orders", async (req, res) => {
  const after = req.query.after ? Number(req.query.after) : undefined;
  // the client may ask for a smaller page, never a bigger one
  const size = Math.min(Math.max(Number(req.query.limit) || 50, 1), 100);
  const rows = await prisma.order.findMany({
    take: size,
    orderBy: { id: "desc" },
    ...(after ? { cursor: { id: after }, skip: 1 } : {}),
  });
  res.json({ rows, next: rows.length === size ? rows[size - 1].id : null });
});

orders.get("/orders/pending-count", async (_req, res) => {
  // the badge reads a count cached for 30 seconds: one COUNT per 30 s, not one per poll
  const pending = await cached("orders:pending-count", 30, () => prisma.order.count({ where: { status: "pending" } }));
  res.json({ pending });
});

orders.get("/me/orders", async (req: any, res) => {
  const userId: number = req.user.id;
  res.json(await cached(`orders:recent:${userId}`, 60, () => listOrdersWithItems(userId)));
});

orders.get("/orders/:id", async (req, res) => {
  res.json(await getOrderDetail(Number(req.params.id)));
});

orders.post("/checkout", async (req: any, res) => {
  const order = await checkout(req.user.id, req.body.items);
  await prisma.auditLog.create({ data: { userId: req.user.id, action: `checkout ${order.id}` } });
  res.status(201).json(order);
});
