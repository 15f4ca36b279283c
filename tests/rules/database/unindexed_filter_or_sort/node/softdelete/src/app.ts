import express from "express";
import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();
const app = express();

app.get("/workspaces/mine", async (req: any, res) => {
  // deletedAt IS NULL keeps most rows: the column to index is ownerId
  // ruleid: SC-DB-006
  res.json(await prisma.workspace.findMany({ where: { deletedAt: null, ownerId: req.user.id }, take: 50 }));
});

app.get("/workspaces/live", async (req, res) => {
  // the soft-delete scope alone: no column left to index, nothing to report
  // ok: SC-DB-006
  res.json(await prisma.workspace.findMany({ where: { deletedAt: null }, take: 50 }));
});

app.get("/workspaces/current", async (req, res) => {
  // two soft-delete scopes ({ equals: null } too) and an equality on region
  // ruleid: SC-DB-006
  res.json(await prisma.workspace.findMany({ where: { archivedAt: { equals: null }, deletedAt: null, region: String(req.query.r) }, take: 50 }));
});

app.get("/workspaces/trash", async (req: any, res) => {
  // deletedAt IS NOT NULL asks for the deleted rows, the rare ones: its index finds them
  // ok: SC-DB-006
  res.json(await prisma.workspace.count({ where: { NOT: { deletedAt: null } } }));
});

app.get("/folders/:ws", async (req, res) => {
  // workspaceId leads an index; deletedTime only keeps the live rows
  // ok: SC-DB-006
  res.json(await prisma.folder.findMany({ where: { workspaceId: Number(req.params.ws), deletedTime: null }, take: 50 }));
});

app.get("/folders/live", async (req, res) => {
  // deletedTime (no index) IS NULL alone: most of the table, no index would help
  // ok: SC-DB-006
  res.json(await prisma.folder.findMany({ where: { deletedTime: null }, take: 50 }));
});

app.get("/folders/by-label", async (req, res) => {
  // the finding names label, never deletedTime
  // ruleid: SC-DB-006
  res.json(await prisma.folder.findMany({ where: { deletedTime: null, label: String(req.query.l) }, take: 50 }));
});

app.get("/folders/roots", async (req, res) => {
  // IS NULL on a column that marks no deletion is an equality like any other: parentId is unindexed
  // ruleid: SC-DB-006
  res.json(await prisma.folder.findMany({ where: { parentId: null, label: String(req.query.l) }, take: 50 }));
});

app.listen(3000);
