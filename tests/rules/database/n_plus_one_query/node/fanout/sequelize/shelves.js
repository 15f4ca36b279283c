// The shelves of ONE library (a parent's fan-out) beside the public shelves of every library.
const express = require("express");
const { Library, Shelf, Volume } = require("./models");

const router = express.Router();

router.get("/libraries/:id/shelves", async (req, res) => {
  const shelves = await Shelf.findAll({ where: { libraryId: req.params.id } });
  const out = [];
  for (const shelf of shelves) {
    // ruleid: SC-DB-003 (low: the shelves of one library)
    out.push(await Volume.count({ where: { shelfId: shelf.id } }));
  }
  res.json(out);
});

router.get("/libraries/:id/first-volumes", async (req, res) => {
  const library = await Library.findByPk(req.params.id);
  const out = [];
  for (const shelf of await library.getShelves()) {
    // ruleid: SC-DB-003 (low: an association getter of one library is not traced to a query, so its size is unknown)
    out.push(await Volume.findOne({ where: { shelfId: shelf.id } }));
  }
  res.json(out);
});

router.get("/shelves/public", async (_req, res) => {
  const shelves = await Shelf.findAll({ where: { public: true } });
  const out = [];
  for (const shelf of shelves) {
    // ruleid: SC-DB-003 (high: public shelves of every library)
    out.push(await Volume.findAll({ where: { shelfId: shelf.id } }));
  }
  res.json(out);
});

module.exports = router;
