import { Router } from "express";
import { isValidObjectId } from "mongoose";
import { Customer, Subscriber } from "./documents";

export const newsletter = Router();

newsletter.post("/subscribe", async (req, res) => {
  const { email, list } = req.body;
  const found = await Subscriber.findOne({ email, list });
  if (found) return res.status(409).end();
  // ruleid: SC-DB-018
  await Subscriber.create({ email, list });
  res.sendStatus(201);
});

newsletter.post("/subscribe-doc", async (req, res) => {
  const { email, list } = req.body;
  if (await Subscriber.exists({ email, list })) return res.status(409).end();
  const doc = new Subscriber({ email, list });
  // ruleid: SC-DB-018
  await doc.save();
  res.sendStatus(201);
});

newsletter.post("/customers", async (req, res) => {
  const { email, name } = req.body;
  const found = await Customer.findOne({ email });
  if (found) return res.status(409).end();
  // ok: SC-DB-018
  await Customer.create({ email, name });
  res.sendStatus(201);
});

newsletter.post("/subscribe-upsert", async (req, res) => {
  const { email, list } = req.body;
  // ok: SC-DB-018
  await Subscriber.updateOne({ email, list }, { $setOnInsert: { email, list } }, { upsert: true });
  res.sendStatus(201);
});

newsletter.get("/subscribers/:id", async (req, res) => {
  if (!isValidObjectId(req.params.id)) return res.status(400).end();
  res.json(await Subscriber.findById(req.params.id));
});
