import express from "express";
import { dataSource } from "./data-source";
import { Invoice } from "./entities/invoice.entity";

const app = express();

app.get("/accounts/:id/invoices", async (req, res) => {
  const invoiceRepository = dataSource.getRepository(Invoice);
  res.json(await invoiceRepository.find({ where: { accountId: Number(req.params.id) }, order: { issuedAt: "DESC" }, take: 20 }));
});

dataSource.initialize().then(() => app.listen(3000));
