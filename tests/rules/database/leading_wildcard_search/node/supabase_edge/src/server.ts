import express from "express";
import { createClient } from "@supabase/supabase-js";

const supabase = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_KEY!);
const app = express();
app.use(express.json());

app.post("/events", async (req, res) => {
  res.json(await supabase.from("events").insert(req.body).select());
});

app.get("/events/search", async (req, res) => {
  const q = String(req.query.q ?? "");
  // ruleid: SC-DB-014
  const byName = await supabase.from("events").select("*").ilike("name", `%${q}%`).limit(20);
  // a trigram index covers venue
  // ok: SC-DB-014
  const byVenue = await supabase.from("events").select("*").ilike("venue", `%${q}%`).limit(20);
  res.json({ byName, byVenue });
});

app.listen(3000);
