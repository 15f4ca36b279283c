const express = require("express");
const { Op } = require("sequelize");
const { Listing, Seller } = require("./models");

const app = express();
app.use(express.json());

app.post("/listings", async (req, res) => {
  res.json(await Listing.create(req.body));
});

app.post("/sellers", async (req, res) => {
  res.json(await Seller.create(req.body));
});

app.get("/listings/search", async (req, res) => {
  const { q } = req.query;
  // MySQL: a FULLTEXT index with MATCH ... AGAINST is the fix
  // ruleid: SC-DB-014
  const rows = await Listing.findAll({ where: { title: { [Op.like]: `%${q}%` } }, limit: 20 });
  res.json(rows);
});

app.get("/listings/details", async (req, res) => {
  // a FULLTEXT index on details exists (the model's indexes)
  // ok: SC-DB-014
  res.json(await Listing.findAll({ where: { details: { [Op.substring]: req.query.q } }, limit: 20 }));
});

app.get("/sellers/search", async (req, res) => {
  // ruleid: SC-DB-014
  const byCompany = await Seller.findAll({ where: { company: { [Op.substring]: req.query.q } } });
  // the migration's FULLTEXT index covers notes
  // ok: SC-DB-014
  const byNotes = await Seller.findAll({ where: { notes: { [Op.like]: "%" + req.query.q + "%" } } });
  res.json({ byCompany, byNotes });
});

app.get("/sellers/:id/listings", async (req, res) => {
  // one seller's listings: the foreign key narrows the rows
  // ok: SC-DB-014
  res.json(await Listing.findAll({ where: { sellerId: req.params.id, title: { [Op.like]: `%${req.query.q}%` } } }));
});

app.listen(3000);
