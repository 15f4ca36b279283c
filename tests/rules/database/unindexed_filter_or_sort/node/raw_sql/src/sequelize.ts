import express from "express";
import { QueryTypes, Sequelize } from "sequelize";
const sequelize = new Sequelize(process.env.DATABASE_URL!);

const app = express();
app.use(express.json());

app.get("/orders/by-status", async (req, res) => {
  // ruleid: SC-DB-006
  res.json(await sequelize.query("SELECT id, status FROM orders WHERE status = :p1 ORDER BY id LIMIT 20", { replacements: { p1: String(req.query.status) }, type: QueryTypes.SELECT }));
});

app.get("/orders/mine", async (req, res) => {
  // ok: SC-DB-006
  res.json(await sequelize.query("SELECT id, status FROM orders WHERE user_id = :p1 ORDER BY id LIMIT 20", { replacements: { p1: Number(req.query.user) }, type: QueryTypes.SELECT }));
});

app.listen(3000);
