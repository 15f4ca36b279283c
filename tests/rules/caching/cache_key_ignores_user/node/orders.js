const express = require("express");
const Redis = require("ioredis");

const redis = new Redis(process.env.REDIS_URL);
const router = express.Router();

router.get("/orders/recent", async (req, res) => {
  const orders = await loadOrders(req.user.id);
  // ruleid: SC-CACHE-008
  await redis.set("orders:recent", JSON.stringify(orders), "EX", 60);
  // ok: SC-CACHE-008
  await redis.set(`orders:recent:${req.user.id}`, JSON.stringify(orders), "EX", 60);
  res.json(orders);
});

router.get("/catalog", async (req, res) => {
  const items = await loadCatalog();
  // ok: SC-CACHE-008
  await redis.set("catalog", JSON.stringify(items), "EX", 300);
  res.json(items);
});

module.exports = router;
