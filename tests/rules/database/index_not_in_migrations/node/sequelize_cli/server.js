const express = require("express");
const { Sequelize } = require("sequelize");
const defineMember = require("./models/member");

const sequelize = new Sequelize(process.env.DATABASE_URL, { pool: { max: 10 } });
const Member = defineMember(sequelize);
const app = express();

app.get("/members", async (req, res) => {
  res.json(await Member.findAll({ where: { role: req.query.role, teamId: req.query.team }, limit: 50 }));
});

app.listen(3000);
