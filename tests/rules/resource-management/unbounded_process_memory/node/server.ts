import express from "express";

const app = express();

// grows with every client IP, never pruned
const attempts = new Map<string, number>();
// one entry per event, forever
const events: unknown[] = [];
// one entry per visitor, forever
const visitors = new Set<string>();
// one timer per key, and the map is never pruned
const pending = new Map<string, unknown>();

// a constant lookup table
// ok: SC-RES-001
const STATUS = { active: 1, closed: 2 };
// a registry filled at import time
const handlers = new Map<string, () => void>();
handlers.set("ping", () => undefined);

// a map with eviction
const sessionsSeen = new Map<string, number>();
// a map that only grows from constants
const counters: Record<string, number> = {};

function remember(key: string, value: unknown) {
  // ruleid: SC-RES-001
  pending.set(key, value);
  setTimeout(() => console.log("expired", key), 60_000);
}

app.post("/login", (req, res) => {
  // a per-IP counter read back and written with request data: growth, not a cache
  // ruleid: SC-RES-001
  attempts.set(req.ip ?? "", (attempts.get(req.ip ?? "") ?? 0) + 1);
  res.json({ ok: true });
});

app.post("/events", (req, res) => {
  // ruleid: SC-RES-001
  events.push(req.body);
  // ruleid: SC-RES-001
  visitors.add(req.ip ?? "");
  remember(String(req.query.id), req.body);
  res.status(202).end();
});

app.get("/seen/:id", (req, res) => {
  // ok: SC-RES-001
  sessionsSeen.set(req.params.id, Date.now());
  if (sessionsSeen.size > 10_000) sessionsSeen.clear();
  // ok: SC-RES-001
  counters["hits"] = (counters["hits"] ?? 0) + 1;
  res.json({ status: STATUS.active, handler: handlers.get("ping") !== undefined });
});

// not on a request path: a startup job
export function warm(names: string[]) {
  for (const name of names) {
    // ok: SC-RES-001
    handlers.set(name, () => undefined);
  }
}

// per-route middleware runs on every request of its routes
const recentByIp = new Map<string, number[]>();
function rateLimit(req: express.Request, res: express.Response, next: express.NextFunction) {
  const now = Date.now();
  const recent = (recentByIp.get(req.ip ?? "") ?? []).filter((t) => now - t < 600_000);
  recent.push(now);
  // ruleid: SC-RES-001
  recentByIp.set(req.ip ?? "", recent);
  next();
}

app.post("/leads", rateLimit, (_req, res) => res.status(201).end());

app.listen(3000);
