import { Router } from "express";
import { DataSource, Repository } from "typeorm";
import { Ticket } from "./typeorm-entities";

const router = Router();
const dataSource = new DataSource({ type: "postgres", entities: [Ticket] });
const ticketRepository: Repository<Ticket> = dataSource.getRepository(Ticket);

router.post("/tickets", async (req, res) => {
  // the growth of a table written through save() is not known: low
  // ruleid: SC-DB-017 low
  const count = await ticketRepository.count();
  const ticket = ticketRepository.create({ code: `T-${String(count + 1).padStart(6, "0")}`, status: "open" });
  res.json(await ticketRepository.save(ticket));
});

router.get("/tickets/open-count", async (_req, res) => {
  // ruleid: SC-DB-017 low
  return res.json({ open: await ticketRepository.count({ where: { status: "open" } }) });
});

router.get("/tickets/has-open", async (_req, res) => {
  // exists instead of a count
  // ok: SC-DB-017
  const any = await ticketRepository.exist({ where: { status: "open" } });
  res.json({ any });
});

export default router;
