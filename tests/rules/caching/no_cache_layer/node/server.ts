import express from "express";
import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();
const app = express();
app.use(express.json());

// ruleid: SC-CACHE-001
app.get("/products", async (req, res) => {
  const products = await prisma.product.findMany({ take: 50, where: { active: true } });
  const categories = await prisma.category.findMany({ take: 20 });
  res.json({ products, categories });
});

// ok: SC-CACHE-001
app.get("/products/:id", async (req, res) => {
  res.json(await prisma.product.findUnique({ where: { id: req.params.id } }));
});

// ok: SC-CACHE-001
app.post("/products", async (req, res) => {
  res.json(await prisma.product.create({ data: req.body }));
});

app.listen(3000);
