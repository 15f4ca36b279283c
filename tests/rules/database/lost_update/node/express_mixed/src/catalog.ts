import { Router } from "express";
import { drizzle } from "drizzle-orm/node-postgres";
import { eq, sql } from "drizzle-orm";
import { pool, Seat, sequelize } from "./models";
import { products } from "./schema";

const db = drizzle(pool);
export const catalog = Router();

catalog.post("/products/:id/buy", async (req, res) => {
  const id = Number(req.params.id);
  const [row] = await db.select().from(products).where(eq(products.id, id));
  // ruleid: SC-DB-013
  await db.update(products).set({ stock: row.stock - 1 }).where(eq(products.id, id));
  res.json({ ok: true });
});

catalog.post("/products/:id/sell", async (req, res) => {
  const id = Number(req.params.id);
  // ok: SC-DB-013
  await db.update(products).set({ stock: sql`${products.stock} - 1` }).where(eq(products.id, id));
  res.json({ ok: true });
});

catalog.post("/seats/:id/book", async (req, res) => {
  const seat = await Seat.findByPk(req.params.id);
  // ruleid: SC-DB-013
  await seat.update({ available: seat.available - 1 });
  res.json({ ok: true });
});

catalog.post("/seats/:id/book-locked", async (req, res) => {
  await sequelize.transaction(async (t) => {
    const seat = await Seat.findByPk(req.params.id, { transaction: t, lock: t.LOCK.UPDATE });
    // ok: SC-DB-013
    await seat.update({ available: seat.available - 1 }, { transaction: t });
  });
  res.json({ ok: true });
});
