import express from "express";
import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();
const app = express();

app.get("/tickets", async (req, res) => {
  const status = String(req.query.status ?? "open");
  res.json(await prisma.ticket.findMany({ where: { status }, take: 50 }));
});

app.get("/tickets/by-region/:region", async (req, res) => {
  res.json(await prisma.ticket.findMany({ where: { region: req.params.region }, take: 50 }));
});

app.listen(3000);
