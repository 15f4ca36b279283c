import express from "express";
import { QueryTypes, Sequelize } from "sequelize";
const sequelize = new Sequelize(process.env.DATABASE_URL!);

const app = express();
app.use(express.json());

app.get("/orders/all", async (req, res) => {
  // ruleid: SC-DB-004
  res.json(await sequelize.query("SELECT id, status FROM orders", { replacements: {  }, type: QueryTypes.SELECT }));
});

app.get("/orders/first", async (req, res) => {
  // ok: SC-DB-004
  res.json(await sequelize.query("SELECT id, status FROM orders ORDER BY id LIMIT 50", { replacements: {  }, type: QueryTypes.SELECT }));
});

app.listen(3000);
