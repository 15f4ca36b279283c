import express from "express";

import { jobsPool } from "./db";

const probes = express();
probes.get("/", (_req, res) => res.json({ service: "worker" }));
probes.get("/health", (_req, res) => res.sendStatus(200));
probes.get("/health/ready", async (_req, res) => {
  await jobsPool.query("SELECT 1");
  res.sendStatus(200);
});
probes.listen(3003);
