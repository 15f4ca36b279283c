import { Router } from "express";
import mongoose from "mongoose";
import { knex, pool, User } from "./models";

export const accounts = Router();

accounts.post("/credits/spend", async (req, res) => {
  const user = await User.findById(req.body.userId);
  if (!user) return res.sendStatus(404);
  // ruleid: SC-DB-013
  user.credits -= Number(req.body.cost);
  await user.save();
  res.json({ credits: user.credits });
});

accounts.post("/credits/grant", async (req, res) => {
  const user = await User.findById(req.body.userId);
  // ruleid: SC-DB-013
  await User.updateOne({ _id: req.body.userId }, { $set: { credits: user.credits + 5 } });
  res.json({ ok: true });
});

accounts.post("/credits/grant-atomic", async (req, res) => {
  // ok: SC-DB-013
  await User.updateOne({ _id: req.body.userId }, { $inc: { credits: 5 } });
  res.json({ ok: true });
});

accounts.post("/credits/spend-in-session", async (req, res) => {
  const session = await mongoose.startSession();
  await session.withTransaction(async () => {
    const user = await User.findById(req.body.userId).session(session);
    // ok: SC-DB-013
    user.credits -= 1;
    await user.save({ session });
  });
  res.json({ ok: true });
});

accounts.post("/:id/withdraw", async (req, res) => {
  const account = await knex("accounts").where({ id: req.params.id }).first();
  const amount = Number(req.body.amount);
  if (account.balance < amount) return res.status(402).end();
  // ruleid: SC-DB-013
  await knex("accounts").where({ id: req.params.id }).update({ balance: account.balance - amount });
  res.json({ ok: true });
});

accounts.post("/:id/withdraw-locked", async (req, res) => {
  await knex.transaction(async (trx) => {
    const account = await trx("accounts").where({ id: req.params.id }).forUpdate().first();
    // ok: SC-DB-013
    await trx("accounts").where({ id: req.params.id }).update({ balance: account.balance - 1 });
  });
  res.json({ ok: true });
});

accounts.post("/:id/pay", async (req, res) => {
  const { rows } = await pool.query("SELECT balance FROM accounts WHERE id = $1", [req.params.id]);
  const amount = Number(req.body.amount);
  // ruleid: SC-DB-013
  await pool.query("UPDATE accounts SET balance = $1 WHERE id = $2", [rows[0].balance - amount, req.params.id]);
  res.json({ ok: true });
});

accounts.post("/:id/pay-atomic", async (req, res) => {
  // ok: SC-DB-013
  await pool.query("UPDATE accounts SET balance = balance - $1 WHERE id = $2 AND balance >= $1", [req.body.amount, req.params.id]);
  res.json({ ok: true });
});

accounts.post("/:id/pay-checked", async (req, res) => {
  const result = await pool.query("SELECT balance FROM accounts WHERE id = $1", [req.params.id]);
  const amount = Number(req.body.amount);
  if (result.rows[0].balance < amount) return res.status(402).end();
  // ruleid: SC-DB-013
  await pool.query("UPDATE accounts SET balance = balance - $1 WHERE id = $2", [amount, req.params.id]);
  res.json({ ok: true });
});
