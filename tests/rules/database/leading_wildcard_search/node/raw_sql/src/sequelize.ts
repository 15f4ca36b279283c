import express from "express";
import { QueryTypes, Sequelize } from "sequelize";
const sequelize = new Sequelize(process.env.DATABASE_URL!);

const app = express();
app.use(express.json());

app.get("/orders/search", async (req, res) => {
  // ruleid: SC-DB-014
  res.json(await sequelize.query("SELECT id FROM orders WHERE note ILIKE '%' || :p1 || '%' LIMIT 20", { replacements: { p1: String(req.query.q) }, type: QueryTypes.SELECT }));
});

app.get("/orders/search-bound", async (req, res) => {
  // ruleid: SC-DB-014
  res.json(await sequelize.query("SELECT id FROM orders WHERE note ILIKE :p1 LIMIT 20", { replacements: { p1: `%${req.query.q}%` }, type: QueryTypes.SELECT }));
});

app.get("/orders/search-title", async (req, res) => {
  // ok: SC-DB-014
  res.json(await sequelize.query("SELECT id FROM orders WHERE title ILIKE '%' || :p1 || '%' LIMIT 20", { replacements: { p1: String(req.query.q) }, type: QueryTypes.SELECT }));
});

app.get("/orders/search-prefix", async (req, res) => {
  // ok: SC-DB-014
  res.json(await sequelize.query("SELECT id FROM orders WHERE note ILIKE :p1 LIMIT 20", { replacements: { p1: `${req.query.q}%` }, type: QueryTypes.SELECT }));
});

app.listen(3000);
