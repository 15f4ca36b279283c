import express from "express";
import { QueryTypes, Sequelize } from "sequelize";
const sequelize = new Sequelize(process.env.DATABASE_URL!);

const app = express();
app.use(express.json());

app.get("/orders/open-count", async (req, res) => {
  // ruleid: SC-DB-017
  const total = await sequelize.query("SELECT COUNT(*) AS n FROM orders WHERE status = :p1", { replacements: { p1: String(req.query.status) }, type: QueryTypes.SELECT });
  res.json({ total });
});

app.get("/orders/page", async (req, res) => {
  const rows = await sequelize.query("SELECT id, status FROM orders WHERE status = :p1 ORDER BY id LIMIT 20 OFFSET :p2", { replacements: { p1: String(req.query.status), p2: Number(req.query.offset) || 0 }, type: QueryTypes.SELECT });
  // ok: SC-DB-017
  const total = await sequelize.query("SELECT COUNT(*) AS n FROM orders WHERE status = :p1", { replacements: { p1: String(req.query.status) }, type: QueryTypes.SELECT });
  res.json({ rows, total });
});

app.listen(3000);
