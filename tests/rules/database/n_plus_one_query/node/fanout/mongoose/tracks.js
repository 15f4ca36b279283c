// The tracks of ONE station (a parent's fan-out) beside the flagged tracks of every station.
const express = require("express");
const mongoose = require("mongoose");

const stationSchema = new mongoose.Schema({ name: String });
const trackSchema = new mongoose.Schema({
  title: String,
  flagged: Boolean,
  station: { type: mongoose.Schema.Types.ObjectId, ref: "Station" },
  genres: [{ type: mongoose.Schema.Types.ObjectId, ref: "Genre" }],
});
const playSchema = new mongoose.Schema({
  track: { type: mongoose.Schema.Types.ObjectId, ref: "Track" },
});

const Station = mongoose.model("Station", stationSchema);
const Track = mongoose.model("Track", trackSchema);
const Play = mongoose.model("Play", playSchema);

const router = express.Router();

router.get("/stations/:id/charts", async (req, res) => {
  const tracks = await Track.find({ station: req.params.id });
  const out = [];
  for (const track of tracks) {
    // ruleid: SC-DB-003 (low: the tracks of one station)
    out.push(await Play.countDocuments({ track: track._id }));
  }
  res.json(out);
});

router.get("/tracks/flagged", async (_req, res) => {
  const tracks = await Track.find({ flagged: true });
  const out = [];
  for (const track of tracks) {
    // ruleid: SC-DB-003 (high: flagged tracks of every station)
    out.push(await Play.find({ track: track._id }));
  }
  res.json(out);
});

router.get("/genres/:id/charts", async (req, res) => {
  // an array of refs: the tracks tagged with one genre, across every station
  const tracks = await Track.find({ genres: req.params.id });
  const out = [];
  for (const track of tracks) {
    // ruleid: SC-DB-003 (high: a list relation is not one parent's key)
    out.push(await Play.countDocuments({ track: track._id }));
  }
  res.json(out);
});

module.exports = { router, Station };
