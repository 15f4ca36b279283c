import express from "express";
import session from "express-session";
import { orders } from "./routes/orders";
import { products } from "./routes/products";

export const app = express();
app.use(express.json());
// sessions in express-session's default MemoryStore: per process, lost on deploy, never pruned
app.use(session({ secret: process.env.SESSION_SECRET ?? "", resave: false, saveUninitialized: false }));
app.use("/api", products);
app.use("/api", orders);

app.get("/health", (_req, res) => res.json({ ok: true }));
