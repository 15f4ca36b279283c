import express from "express";
import { findLink, removeLinks, tableFor } from "./links";

const app = express();

app.get("/links/:id", async (req, res) => {
  res.json(await findLink(req.params.id));
});

app.delete("/links", async (req, res) => {
  await removeLinks(req.body.ids);
  res.json(await tableFor("links"));
});

app.listen(3000);
