import { Router } from "express";
import { Profile, Team, sequelize } from "./models";

export const members = Router();

members.post("/profiles", async (req, res) => {
  const handle = String(req.body.handle);
  const taken = await Profile.findOne({ where: { handle } });
  if (taken !== null) {
    return res.status(409).json({ error: "handle taken" });
  }
  // ruleid: SC-DB-018
  await Profile.create({ handle, bio: req.body.bio });
  res.sendStatus(201);
});

members.post("/profiles-locked", async (req, res) => {
  const handle = String(req.body.handle);
  await sequelize.transaction(async (t) => {
    const taken = await Profile.findOne({ where: { handle }, lock: t.LOCK.UPDATE, transaction: t });
    if (taken) throw new Error("taken");
    // ok: SC-DB-018
    await Profile.create({ handle }, { transaction: t });
  });
  res.sendStatus(201);
});

members.post("/teams", async (req, res) => {
  const slug = String(req.body.slug);
  const taken = await Team.findOne({ where: { slug } });
  if (taken) return res.status(409).end();
  // ok: SC-DB-018
  await Team.create({ slug });
  res.sendStatus(201);
});
