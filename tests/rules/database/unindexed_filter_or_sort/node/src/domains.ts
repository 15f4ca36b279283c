import { Router } from "express";
import { prisma } from "./db";

export const domains = Router();

domains.get("/projects/:id/domains", async (req, res) => {
  // @@index(projectId): indexed, brackets or not
  // ok: SC-DB-006
  const rows = await prisma.domain.findMany({ where: { projectId: Number(req.params.id) }, take: 50 });
  res.json(rows);
});

domains.get("/domains/stale", async (req, res) => {
  // ok: SC-DB-006
  const rows = await prisma.domain.findMany({ orderBy: { lastChecked: "asc" }, take: 50 });
  res.json(rows);
});

domains.get("/domains/verified", async (req, res) => {
  // ruleid: SC-DB-006 low
  const rows = await prisma.domain.findMany({ orderBy: { verified: "desc" }, take: 50 });
  res.json(rows);
});
