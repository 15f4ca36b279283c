import express from "express";
import { QueryTypes, Sequelize } from "sequelize";
const sequelize = new Sequelize(process.env.DATABASE_URL!);

const app = express();
app.use(express.json());

app.get("/orders/buyers", async (req, res) => {
  const orders = await sequelize.query("SELECT id, user_id FROM orders ORDER BY id DESC LIMIT 50", { replacements: {  }, type: QueryTypes.SELECT });
  const out = [];
  for (const order of orders) {
    // ruleid: SC-DB-003
    out.push(await sequelize.query("SELECT id, email FROM users WHERE id = :p1", { replacements: { p1: order.user_id }, type: QueryTypes.SELECT }));
  }
  res.json(out);
});

app.post("/users/batch", async (req, res) => {
  // ok: SC-DB-003
  res.json(await sequelize.query("SELECT id, email FROM users WHERE id = ANY(:p1)", { replacements: { p1: req.body.ids }, type: QueryTypes.SELECT }));
});

app.listen(3000);
