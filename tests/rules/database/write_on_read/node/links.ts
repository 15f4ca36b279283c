// GET routes that are actions by protocol: OAuth callbacks, links in emails, webhooks, cron.
import express from "express";
import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();
export const links = express.Router();

links.get("/integrations/slack/callback", async (req: any, res: any) => {
  // Slack redirects the browser here with ?code=...: storing the installation is the point
  // ok: SC-DB-011
  await prisma.integration.upsert({ where: { team: req.query.state }, create: { code: req.query.code }, update: {} });
  res.redirect("/settings");
});

links.get("/invites/:token/accept", async (req: any, res: any) => {
  // ok: SC-DB-011
  await prisma.membership.create({ data: { token: req.params.token } });
  res.redirect("/");
});

links.get("/api/cron/expire-trials", async (_req: any, res: any) => {
  // ok: SC-DB-011
  await prisma.trial.updateMany({ where: { endsAt: { lt: new Date() } }, data: { expired: true } });
  res.json({ ok: true });
});

links.get("/stripe/webhook", async (req: any, res: any) => {
  // ok: SC-DB-011
  await prisma.paymentEvent.create({ data: { id: req.query.id } });
  res.sendStatus(200);
});

links.get("/oauth/apps/:id", async (req: any, res: any) => {
  // the path suggests an OAuth flow, but this one reads an app's settings: low, with the reason
  // ruleid: SC-DB-011 (low)
  const app = await prisma.oauthApp.update({ where: { id: req.params.id }, data: { viewedAt: new Date() } });
  res.json(app);
});

links.get("/webhooks/:id", async (req: any, res: any) => {
  // a webhook's settings (a collection, not a receiver): a write per read
  // ruleid: SC-DB-011 (high)
  const hook = await prisma.webhook.update({ where: { id: req.params.id }, data: { viewedAt: new Date() } });
  res.json(hook);
});
