import { Router } from "express";
import mongoose from "mongoose";

const Message = mongoose.model("Message", new mongoose.Schema({ room: String, text: String, flagged: Boolean }));
const router = Router();

router.post("/messages", async (req, res) => {
  res.json(await Message.create({ room: req.body.room, text: req.body.text }));
});

router.get("/messages/flagged-count", async (_req, res) => {
  // ruleid: SC-DB-017
  const flagged = await Message.countDocuments({ flagged: true });
  res.json({ flagged });
});

router.get("/messages/total", async (_req, res) => {
  // an estimate from the collection's metadata
  // ok: SC-DB-017
  const total = await Message.estimatedDocumentCount();
  res.json({ total });
});

router.get("/messages/any-flagged", async (_req, res) => {
  // ok: SC-DB-017
  const n = await Message.countDocuments({ flagged: true });
  res.json({ any: n === 0 ? false : true });
});

export default router;
