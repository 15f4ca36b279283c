import express from "express";
import { QueryTypes, Sequelize } from "sequelize";
const sequelize = new Sequelize(process.env.DATABASE_URL!);

const app = express();
app.use(express.json());

app.get("/orders/top", async (req, res) => {
  // ruleid: SC-DB-012
  res.json(await sequelize.query("SELECT id, status FROM orders ORDER BY id LIMIT :p1", { replacements: { p1: Number(req.query.topN) }, type: QueryTypes.SELECT }));
});

app.get("/orders/top-capped", async (req, res) => {
  // ok: SC-DB-012
  res.json(await sequelize.query("SELECT id, status FROM orders ORDER BY id LIMIT :p1", { replacements: { p1: Math.min(Number(req.query.topN) || 20, 100) }, type: QueryTypes.SELECT }));
});

app.listen(3000);
