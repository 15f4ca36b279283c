const express = require("express");
const db = require("./db");

const app = express();
app.get("/items", async (_req, res) => res.json(await db("items").select("id").limit(20)));
app.listen(3002);
