import express from "express";
import { QueryTypes, Sequelize } from "sequelize";
const sequelize = new Sequelize(process.env.DATABASE_URL!);

const app = express();
app.use(express.json());

app.get("/orders/page", async (req, res) => {
  const rows = await sequelize.query("SELECT id, status FROM orders ORDER BY id LIMIT 20 OFFSET :p1", { replacements: { p1: Number(req.query.offset) || 0 }, type: QueryTypes.SELECT });
  // ruleid: SC-DB-005
  const total = await sequelize.query("SELECT COUNT(*) AS n FROM orders", { replacements: {  }, type: QueryTypes.SELECT });
  res.json({ rows, total });
});

app.get("/orders/page-users", async (req, res) => {
  const rows = await sequelize.query("SELECT id, status FROM orders ORDER BY id LIMIT 20 OFFSET :p1", { replacements: { p1: Number(req.query.offset) || 0 }, type: QueryTypes.SELECT });
  // ok: SC-DB-005
  const users = await sequelize.query("SELECT COUNT(*) AS n FROM users", { replacements: {  }, type: QueryTypes.SELECT });
  res.json({ rows, users });
});

app.listen(3000);
