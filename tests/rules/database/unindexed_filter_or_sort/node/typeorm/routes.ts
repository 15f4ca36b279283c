import express from "express";
import { DataSource, Like } from "typeorm";
import { TicketStatus } from "./constants";
import { Ticket } from "./entity/Ticket";

const dataSource = new DataSource({ type: "postgres", entities: [Ticket] });
const ticketRepository = dataSource.getRepository(Ticket);
const app = express();

app.get("/requesters/:id/tickets", async (req, res) => {
  // indexed by the migration's createIndex
  // ok: SC-DB-006
  res.json(await ticketRepository.find({ where: { requesterId: Number(req.params.id) }, take: 20 }));
});

app.get("/tickets/by-ref/:ref", async (req, res) => {
  // ruleid: SC-DB-006
  res.json(await ticketRepository.findOne({ where: { externalRef: req.params.ref } }));
});

app.get("/tickets/open", async (req, res) => {
  // status holds one of the three TicketStatus values (an enum of another file)
  // ruleid: SC-DB-006 low
  res.json(await ticketRepository.find({ where: { status: TicketStatus.OPEN }, take: 20 }));
});

app.get("/tickets/search", async (req, res) => {
  // a substring match (LIKE '%x%'): left to SC-DB-014 (leading-wildcard-search)
  // ok: SC-DB-006
  res.json(await ticketRepository.find({ where: { subject: Like(`%${req.query.q}%`) }, take: 20 }));
});

app.get("/tickets/any", async (req, res) => {
  // an OR across columns (the array form): an index on one of them does not serve it
  // ruleid: SC-DB-006 low
  res.json(await ticketRepository.find({ where: [{ externalRef: String(req.query.ref) }, { subject: String(req.query.s) }] }));
});

app.get("/tickets/other-channels", async (req, res) => {
  // ruleid: SC-DB-006 low
  const rows = await ticketRepository.createQueryBuilder("t").where("t.channel <> :c", { c: req.query.c }).take(20).getMany();
  res.json(rows);
});

app.listen(3000);
