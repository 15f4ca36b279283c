const express = require("express");
const { sql } = require("./db");

const app = express();
app.get("/health", async (req, res) => {
  res.json({ ok: true });
});
app.listen(3000);
