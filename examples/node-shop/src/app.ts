import express from "express";
import { orders } from "./routes/orders";
import { products } from "./routes/products";

export const app = express();
app.use(express.json());
app.use("/api", products);
app.use("/api", orders);

app.get("/health", (_req, res) => res.json({ ok: true }));
