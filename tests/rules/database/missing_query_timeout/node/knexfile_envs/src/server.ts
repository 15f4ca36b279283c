import express from "express";
import knex from "knex";
import config from "./db/knexfile";

const db = knex(config);
const app = express();
app.get("/items", async (_req, res) => {
  res.json(await db("items").where({ visible: true }).limit(50));
});
app.listen(3000);
