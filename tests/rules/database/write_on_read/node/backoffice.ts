// A staff back office: dialogs served on GET, the action done on POST of the same handler.
import express from "express";
import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();
export const backoffice = express.Router();

async function refundOrder(orderId: string) {
  // the refund's ledger row: written on POST only
  // ok: SC-DB-011
  await prisma.transaction.create({ data: { orderId, kind: "refund" } });
}

async function refundDialog(req: any, res: any) {
  if (req.method === "POST") {
    await refundOrder(req.params.id);
    return res.redirect("/orders");
  }
  res.render("refund-dialog");
}
backoffice.get("/orders/:id/refund", refundDialog);
backoffice.post("/orders/:id/refund", refundDialog);

async function archiveProject(req: any, res: any) {
  if (req.method !== "POST") return res.render("archive-confirm");
  // after the non-POST return: runs on POST only
  // ok: SC-DB-011
  await prisma.project.update({ where: { id: req.params.id }, data: { archivedAt: new Date() } });
  res.redirect("/projects");
}
backoffice.route("/projects/:id/archive").get(archiveProject).post(archiveProject);

async function suspendAccount(id: string) {
  // ok: SC-DB-011
  await prisma.account.update({ where: { id }, data: { suspended: true } });
}

async function suspendDialog(req: any, res: any) {
  const { method } = req;
  switch (method) {
    case "PUT":
    case "POST":
      await suspendAccount(req.params.id);
      return res.json({ ok: true });
    default:
      return res.render("suspend-confirm");
  }
}
backoffice.get("/accounts/:id/suspend", suspendDialog);
backoffice.post("/accounts/:id/suspend", suspendDialog);

async function stampOpened(id: string) {
  // ruleid: SC-DB-011 (low)
  await prisma.ticket.update({ where: { id }, data: { openedAt: new Date() } });
}

async function ticketPage(req: any, res: any) {
  if (["GET", "HEAD"].includes(req.method)) {
    // the GET branch runs on every GET: a write per view
    await stampOpened(req.params.id);
  } else {
    await suspendAccount(req.params.id);
  }
  res.render("ticket");
}
backoffice.get("/tickets/:id", ticketPage);
backoffice.post("/tickets/:id", ticketPage);

async function noteDialog(req: any, res: any) {
  // before the method test: every GET writes the audit row
  // ruleid: SC-DB-011 (high)
  await prisma.auditLog.create({ data: { path: req.path } });
  if (req.method === "POST") await refundOrder(req.params.id);
  res.render("notes");
}
backoffice.get("/orders/:id/notes", noteDialog);
backoffice.post("/orders/:id/notes", noteDialog);
