// Query shapes with Knex, Supabase, Mongoose, Sequelize, TypeORM, Prisma and raw SQL.
import express from "express";
import knexFactory from "knex";
import mongoose from "mongoose";
import { createClient } from "@supabase/supabase-js";
import { PrismaClient } from "@prisma/client";
import { Sequelize } from "sequelize";
import { Order, Tag } from "./sequelize-models";
import { Article } from "./mongoose-models";
import { DataSource } from "typeorm";
import { Invoice } from "./invoice.entity";

const knex = knexFactory({ client: "pg" });
const supabase = createClient(process.env.URL!, process.env.KEY!);
const prisma = new PrismaClient();
const sequelize = new Sequelize(process.env.DATABASE_URL!);
const cache = { wrap: async <T>(key: string, load: () => Promise<T>): Promise<T> => load() };
const dataSource = new DataSource({ type: "postgres" });
const app = express();

app.get("/events", async (req, res) => {
  // ok: SC-DB-004
  let q = knex("events").select("*");
  if (req.query.kind) q = q.where("kind", String(req.query.kind));
  q = q.limit(Math.max(1, Math.min(Number(req.query.n), 200)));
  res.json(await q);
});

app.get("/events/all", async (req, res) => {
  // ruleid: SC-DB-004 low
  const q = knex("events").select("*");
  q.orderBy("created_at");
  res.json(await q);
});

app.get("/events/count", async (req, res) => {
  // ok: SC-DB-004
  res.json(await knex("events").count("id"));
});

app.get("/profiles", async (req, res) => {
  // ok: SC-DB-004
  let query = supabase.from("profiles").select("*");
  if (req.query.team) query = query.eq("team", String(req.query.team));
  query = query.range(0, 49);
  res.json(await query);
});

app.get("/articles", async (req, res) => {
  // ok: SC-DB-004
  const query = Article.find({ published: true });
  query.limit(20);
  res.json(await query.exec());
});

app.get("/articles/all", async (req, res) => {
  // ruleid: SC-DB-004 low
  const query = Article.find({ published: true });
  res.json(await query.exec());
});

app.get("/invoices", async (req, res) => {
  const qb = dataSource.getRepository(Invoice).createQueryBuilder("i");
  if (req.query.customer) qb.andWhere("i.customerId = :c", { c: req.query.customer });
  qb.take(Math.min(Number(req.query.n) || 20, 100));
  // ok: SC-DB-004
  res.json(await qb.getMany());
});

app.get("/invoices/all", async (req, res) => {
  const qb = dataSource.getRepository(Invoice).createQueryBuilder("i");
  qb.orderBy("i.createdAt", "DESC");
  // ruleid: SC-DB-004 low
  res.json(await qb.getMany());
});

app.get("/orders/by-status", async (req, res) => {
  // ok: SC-DB-004
  const rows = await Order.findAll({ attributes: ["status"], group: ["status"] });
  res.json(rows);
});

app.get("/orders/tagged", async (req, res) => {
  // filtered through a required include: still every matching order, but not the whole table
  // ruleid: SC-DB-004 low
  const rows = await Order.findAll({ include: [{ model: Tag, where: { name: String(req.query.tag) } }] });
  res.json(rows);
});

app.get("/feed", async (req, res) => {
  const limit = Math.min(Number(req.query.limit) || 20, 100);
  // one more row than shown says whether a next page exists
  // ok: SC-DB-004
  const rows = await prisma.post.findMany({ take: limit + 1, orderBy: { id: "desc" } });
  res.json(rows.slice(0, limit));
});

app.get("/feed/top-authors", async (req, res) => {
  const top = await prisma.user.findMany({ take: 10, orderBy: { karma: "desc" } });
  // ok: SC-DB-004
  const posts = await prisma.post.findMany({ where: { authorId: { in: top.map((u) => u.id) } } });
  res.json(posts);
});

app.get("/tags", async (req, res) => {
  // runs on a cache miss only
  const tags = await cache.wrap("tags", () =>
    // ok: SC-DB-004
    prisma.tag.findMany(),
  );
  res.json(tags);
});


app.get("/setup", async (req, res) => {
  // one boolean row
  // ok: SC-DB-004
  const [row] = await sequelize.query(
    "SELECT EXISTS (SELECT FROM information_schema.tables WHERE table_name = 'orders')",
  );
  res.json(row);
});

app.listen(3000);
void mongoose;
