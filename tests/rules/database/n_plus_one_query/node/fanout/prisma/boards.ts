// Loops over the boards of ONE workspace (a parent's fan-out) beside loops over boards of
// many workspaces (a status filter, an IN list of workspaces).
import { PrismaClient } from "@prisma/client";
import { Router } from "express";

const prisma = new PrismaClient();
export const router = Router();

router.get("/workspaces/:id/summary", async (req, res) => {
  const boards = await prisma.board.findMany({ where: { workspaceId: Number(req.params.id) } });
  const out = [];
  for (const board of boards) {
    // ruleid: SC-DB-003 (low: the boards of one workspace, filtered by its foreign key)
    out.push(await prisma.card.count({ where: { boardId: board.id } }));
  }
  res.json(out);
});

router.get("/workspaces/:id/boards", async (req, res) => {
  const boards = await prisma.board.findMany({
    where: { workspace: { id: Number(req.params.id) }, archived: false },
  });
  const out = [];
  for (const board of boards) {
    // ruleid: SC-DB-003 (low: the relation pinned through the parent's key, narrowed by a flag)
    out.push(await prisma.card.findFirst({ where: { boardId: board.id } }));
  }
  res.json(out);
});

router.get("/boards/archived", async (_req, res) => {
  const boards = await prisma.board.findMany({ where: { archived: true } });
  const out = [];
  for (const board of boards) {
    // ruleid: SC-DB-003 (high: archived boards of every workspace)
    out.push(await prisma.card.count({ where: { boardId: board.id } }));
  }
  res.json(out);
});

router.post("/boards/export", async (req, res) => {
  const ids: number[] = req.body.workspaceIds;
  const boards = await prisma.board.findMany({ where: { workspaceId: { in: ids } } });
  const out = [];
  for (const board of boards) {
    // ruleid: SC-DB-003 (high: the boards of a list of workspaces)
    out.push(await prisma.card.findMany({ where: { boardId: board.id } }));
  }
  res.json(out);
});
