import express from "express";
import paginate from "express-paginate";
import * as OpenApiValidator from "express-openapi-validator";
import { PrismaClient } from "@prisma/client";
import { createClient } from "@supabase/supabase-js";

const prisma = new PrismaClient();
const supabase = createClient(process.env.SUPABASE_URL as string, process.env.SUPABASE_KEY as string);
const app = express();

// req.query.limit is capped at 50 before any handler runs
app.use(paginate.middleware(10, 50));
// query parameters are validated against openapi.yaml
app.use(OpenApiValidator.middleware({ apiSpec: "./openapi.yaml", validateRequests: true }));

app.get("/alerts", async (req, res) => {
  // ok: SC-DB-012
  const alerts = await prisma.alert.findMany({ take: Number(req.query.limit), orderBy: { id: "desc" } });
  res.json(alerts);
});

app.get("/tickets", async (req, res) => {
  // ok: SC-DB-012
  const tickets = await prisma.ticket.findMany({ take: Number(req.query.pageRows), orderBy: { id: "desc" } });
  res.json(tickets);
});

app.get("/profiles", async (req, res) => {
  // PostgREST caps every response at the project's Max Rows setting
  // ok: SC-DB-012
  const { data } = await supabase.from("profiles").select("*").order("id").limit(Number(req.query.howMany));
  res.json(data);
});

app.listen(3000);
