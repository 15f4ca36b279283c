const express = require("express");
const mongoose = require("mongoose");
const { MongoClient } = require("mongodb");
const { Link, Click, Session, Event } = require("./models");

const app = express();
const client = new MongoClient(process.env.MONGO_URL);
const db = client.db("shortener");
mongoose.connect(process.env.MONGO_URL);

app.get("/r/:code", async (req, res) => {
  const link = await Link.findOne({ code: req.params.code });
  // ruleid: SC-DB-015
  await Click.create({ code: req.params.code, ip: req.ip });
  res.redirect(link.url);
});

app.post("/links", async (req, res) => {
  // ok: SC-DB-015
  const link = await Link.create({ code: req.body.code, url: req.body.url });
  res.json(link);
});

app.post("/login", async (req, res) => {
  // ok: SC-DB-015
  await Session.create({ token: req.body.token });
  res.end();
});

app.post("/events", async (req, res) => {
  // ok: SC-DB-015
  await Event.create({ name: req.body.name, at: new Date() });
  res.end();
});

app.get("/pixel.gif", async (req, res) => {
  // ok: SC-DB-015
  await db.collection("pixel_hits").insertOne({ ua: req.headers["user-agent"], at: new Date() });
  res.end();
});

db.collection("pixel_hits").createIndex({ at: 1 }, { expireAfterSeconds: 3600 });

app.listen(3000);
