import axios from "axios";
import nodemailer from "nodemailer";
import { prisma } from "../db";

const mailer = nodemailer.createTransport({ host: process.env.SMTP_HOST, port: 587 });

export async function listOrdersWithItems(userId: number) {
  // One query per relation level (Prisma batches the include), bounded by take.
  return prisma.order.findMany({
    where: { userId },
    take: 20,
    orderBy: { id: "desc" },
    include: { items: true },
  });
}

export async function getOrderDetail(id: number) {
  return prisma.order.findUnique({
    where: { id },
    include: { items: { include: { product: true } } },
  });
}

export async function checkout(userId: number, cart: { productId: number; quantity: number }[]) {
  // Charge first, outside any transaction; the transaction only touches the database.
  const charge = await axios.post(process.env.PAYMENT_API_URL!, { userId, cart }, { timeout: 5000 });
  const order = await prisma.$transaction(async (tx) => {
    const created = await tx.order.create({ data: { userId, status: "pending", totalCents: 0 } });
    // One INSERT for all the cart's lines.
    await tx.orderItem.createMany({
      data: cart.map((line) => ({ orderId: created.id, productId: line.productId, quantity: line.quantity, unitCents: 0 })),
    });
    return tx.order.update({ where: { id: created.id }, data: { status: charge.data.status } });
  });
  await mailer.sendMail({ to: "orders@example.test", subject: `Order ${order.id}`, text: "New order" });
  return order;
}
