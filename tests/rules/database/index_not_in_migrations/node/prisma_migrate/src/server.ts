import express from "express";
import { PrismaClient } from "@prisma/client";
import { ensureIndexes } from "./db/bootstrap";

const prisma = new PrismaClient();
const app = express();

app.get("/orders", async (req, res) => {
  const status = String(req.query.status ?? "open");
  res.json(await prisma.order.findMany({ where: { status }, take: 50 }));
});

app.get("/orders/by-region/:region", async (req, res) => {
  res.json(await prisma.order.findMany({ where: { region: req.params.region }, take: 50 }));
});

ensureIndexes(prisma).then(() => app.listen(3000));
