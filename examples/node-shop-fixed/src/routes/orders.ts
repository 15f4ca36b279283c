import { Router } from "express";
import { cached } from "../lib/cache";
import { prisma } from "../db";
import { checkout, getOrderDetail, listOrdersWithItems } from "../services/orderService";

export const orders = Router();

orders.get("/orders", async (req, res) => {
  const after = req.query.after ? Number(req.query.after) : undefined;
  const rows = await prisma.order.findMany({
    take: 50,
    orderBy: { id: "desc" },
    ...(after ? { cursor: { id: after }, skip: 1 } : {}),
  });
  res.json({ rows, next: rows.length === 50 ? rows[49].id : null });
});

orders.get("/me/orders", async (req: any, res) => {
  const userId: number = req.user.id;
  res.json(await cached(`orders:recent:${userId}`, 60, () => listOrdersWithItems(userId)));
});

orders.get("/orders/:id", async (req, res) => {
  res.json(await getOrderDetail(Number(req.params.id)));
});

orders.post("/checkout", async (req: any, res) => {
  res.status(201).json(await checkout(req.user.id, req.body.items));
});
