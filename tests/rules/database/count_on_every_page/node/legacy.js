const express = require("express");
const { Op } = require("sequelize");
const { Product } = require("./models");
const Comment = require("./models/comment");

const app = express();

app.get("/products", async (req, res) => {
  const { page = 1 } = req.query;
  // ruleid: SC-DB-005
  const { rows, count } = await Product.findAndCountAll({ where: { active: true }, limit: 20, offset: (page - 1) * 20 });
  res.json({ rows, count });
});

app.get("/posts/:id/comments", async (req, res) => {
  const skip = Number(req.query.skip || 0);
  const comments = await Comment.find({ post: req.params.id }).sort({ _id: -1 }).skip(skip).limit(20).lean();
  // ok: SC-DB-005
  const approx = await Comment.estimatedDocumentCount();
  // ruleid: SC-DB-005
  const total = await Comment.countDocuments({ post: req.params.id });
  res.json({ comments, total, approx });
});

module.exports = app;

// the router of routes.ts is served by this app
app.use("/api", require("./routes").default);
