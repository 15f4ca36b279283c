import { RedisStore } from "connect-redis";
import express from "express";
import session from "express-session";
import { redis } from "./cache";
import { orders } from "./routes/orders";
import { products } from "./routes/products";

export const app = express();
app.use(express.json());
// sessions in Redis: shared by every replica, expired by Redis
app.use(
  session({
    store: new RedisStore({ client: redis, prefix: "sess:" }),
    secret: process.env.SESSION_SECRET ?? "",
    resave: false,
    saveUninitialized: false,
  }),
);
app.use("/api", products);
app.use("/api", orders);

app.get("/health", (_req, res) => res.json({ ok: true }));
