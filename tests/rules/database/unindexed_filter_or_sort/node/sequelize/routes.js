const express = require("express");
const { Op } = require("sequelize");
const Invoice = require("./models/invoice");

const app = express();

app.get("/customers/:id/invoices", async (req, res) => {
  // addIndex("invoices", ["customerId"]) in a migration
  // ok: SC-DB-006
  res.json(await Invoice.findAll({ where: { customerId: req.params.id }, limit: 50 }));
});

app.get("/invoices/by-number/:n", async (req, res) => {
  // a unique constraint added by a migration is an index
  // ok: SC-DB-006
  res.json(await Invoice.findOne({ where: { number: req.params.n } }));
});

app.get("/invoices/paid-since", async (req, res) => {
  // the only paidAt index is created by a migration's down step
  // ruleid: SC-DB-006
  res.json(await Invoice.findAll({ where: { paidAt: { [Op.gte]: req.query.since } }, limit: 50 }));
});

app.get("/invoices/by-reference/:ref", async (req, res) => {
  // the reference index is partial (soft-deleted rows only): it does not serve live rows
  // ruleid: SC-DB-006
  res.json(await Invoice.findOne({ where: { reference: req.params.ref } }));
});

app.get("/invoices/drafts", async (req, res) => {
  // status has three declared values: an index alone barely narrows it
  // ruleid: SC-DB-006 low
  res.json(await Invoice.findAll({ where: { status: "draft" }, limit: 50 }));
});

app.get("/invoices/annotated", async (req, res) => {
  // notes IS NOT NULL: no b-tree index narrows a negation
  // ruleid: SC-DB-006 low
  res.json(await Invoice.count({ where: { notes: { [Op.ne]: null } } }));
});

app.get("/invoices/lookup", async (req, res) => {
  const field = req.query.byNumber ? "number" : "customerId";
  // a computed key is a column chosen at run time (both are indexed): memo alone is not proof
  // ruleid: SC-DB-006 low
  res.json(await Invoice.findOne({ where: { [field]: req.query.v, memo: req.query.memo } }));
});

app.listen(3000);
