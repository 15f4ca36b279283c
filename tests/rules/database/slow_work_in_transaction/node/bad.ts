import { PrismaClient } from "@prisma/client";
import axios from "axios";
import nodemailer from "nodemailer";
import { DataSource } from "typeorm";

const prisma = new PrismaClient();
const transporter = nodemailer.createTransport({ host: "smtp.example.com" });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function placeOrder(userId: string, total: number) {
  return prisma.$transaction(async (tx) => {
    const order = await tx.order.create({ data: { userId, total } });
    // ruleid: SC-DB-008
    await axios.post("https://payments.example.com/charge", { amount: total }, { timeout: 5000 });
    // ruleid: SC-DB-008
    await transporter.sendMail({ to: "ops@example.com", subject: `order ${order.id}` });
    return order;
  });
}

export async function transfer(ds: DataSource, from: number, to: number) {
  await ds.transaction(async (manager) => {
    await manager.decrement("Account", { id: from }, "balance", 10);
    // ruleid: SC-DB-008
    await sleep(1000);
    // ruleid: SC-DB-008
    const rate = await fetch("https://fx.example.com/rate");
    await manager.increment("Account", { id: to }, "balance", 10);
    return rate;
  });
}

export async function settle(ds: DataSource, id: number) {
  await ds.transaction(async (manager) => {
    await manager.update("Payment", { id }, { state: "settling" });
    // two seconds with the row locked
    // ruleid: SC-DB-008
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await manager.update("Payment", { id }, { state: "settled" });
  });
}
