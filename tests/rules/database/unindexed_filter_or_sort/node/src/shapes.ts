import { Router } from "express";
import { prisma } from "./db";

export const shapes = Router();

shapes.get("/posts/untitled-count", async (req, res) => {
  // title IS NOT NULL: a negation no b-tree index narrows
  // ruleid: SC-DB-006 low
  res.json(await prisma.post.count({ where: { title: { not: null } } }));
});

shapes.get("/posts/search", async (req, res) => {
  // a substring match (LIKE '%x%'): SC-DB-014 (leading-wildcard-search) judges it, not this rule
  // ok: SC-DB-006
  res.json(await prisma.post.findMany({ where: { title: { contains: String(req.query.q) } }, take: 20 }));
});

shapes.get("/users/lookup", async (req, res) => {
  // an OR across email and status: an index on one of them does not serve it
  // ruleid: SC-DB-006 low
  res.json(await prisma.user.findFirst({ where: { OR: [{ email: String(req.query.e) }, { status: "invited" }] } }));
});

shapes.get("/users/by-plan", async (req, res) => {
  // plan is an enum of three values: an index alone barely narrows it
  // ruleid: SC-DB-006 low
  res.json(await prisma.user.findMany({ where: { plan: "PRO" }, take: 20 }));
});

shapes.get("/users/filtered", async (req, res) => {
  const filters = req.query.team ? { teamId: Number(req.query.team) } : {};
  // part of the filter is spread in: it may well hold the indexed teamId
  // ruleid: SC-DB-006 low
  res.json(await prisma.user.findMany({ where: { ...filters, email: String(req.query.e) }, take: 20 }));
});

shapes.get("/users/by-email-or-handle", async (req, res) => {
  // each column of the OR leads an index (handle is unique, teamId leads an index)
  // ok: SC-DB-006
  res.json(await prisma.user.findFirst({ where: { OR: [{ handle: String(req.query.h) }, { teamId: 1 }] } }));
});

shapes.get("/admin/reports", async (req, res) => {
  // only admins call it: a few people, not the traffic that grows
  // ruleid: SC-DB-006 low
  res.json(await prisma.report.findMany({ where: { reason: String(req.query.r) }, take: 20 }));
});

shapes.get("/stats/tokens", async (req: any, res) => {
  if (!req.user?.isAdmin) {
    return res.status(403).json({ error: "forbidden" });
  }
  // the handler refuses everyone but admins first: an admin route
  // ruleid: SC-DB-006 low
  res.json(await prisma.token.count({ where: { value: String(req.query.v) } }));
});
