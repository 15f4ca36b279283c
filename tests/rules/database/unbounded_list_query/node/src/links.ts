import { Router } from "express";
import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();
export const links = Router();

links.get("/links/roots", async (req, res) => {
  const domains = String(req.query.domains).split(",");
  // every column of @@unique([domain, key]) is filtered: bounded by the input lists
  // ok: SC-DB-004
  const roots = await prisma.shortLink.findMany({ where: { domain: { in: domains }, key: { in: ["_root"] } } });
  res.json(roots);
});

links.get("/links/by-domain", async (req, res) => {
  // ruleid: SC-DB-004
  const rows = await prisma.shortLink.findMany({ where: { domain: String(req.query.d) } });
  res.json(rows);
});

links.get("/fraud/groups", async (req, res) => {
  const events: { programId: string; partnerId: string; type: string }[] = JSON.parse(String(req.query.e));
  // filtered through OR conditions built from a list: not the whole table (medium, not high)
  // ruleid: SC-DB-004
  const groups = await prisma.fraudGroup.findMany({
    where: { OR: events.map((e) => ({ programId: e.programId, partnerId: e.partnerId, type: e.type, status: "pending" })) },
  });
  res.json(groups);
});
