import express from "express";
import session from "express-session";
import { RedisStore } from "connect-redis";
import { createClient } from "redis";

const app = express();

// ruleid: SC-SCALE-001
app.use(session({ secret: process.env.SESSION_SECRET!, resave: false, saveUninitialized: false }));

// an explicit MemoryStore is the same store
// ruleid: SC-SCALE-001
app.use(session({ secret: "s", store: new session.MemoryStore() }));

// a shared store: every instance sees every session
const redisClient = createClient({ url: process.env.REDIS_URL });
// ok: SC-SCALE-001
app.use(session({ secret: "s", store: new RedisStore({ client: redisClient }) }));

// options in a variable whose store is set later
const sessionOptions: session.SessionOptions = { secret: "s", resave: false };
sessionOptions.store = new RedisStore({ client: redisClient });
// ok: SC-SCALE-001
app.use(session(sessionOptions));

// options from another module: not knowable here, not reported
import { options } from "./config";
// ok: SC-SCALE-001
app.use(session(options));

if (process.env.NODE_ENV === "development") {
  // a development-only session setup
  // ok: SC-SCALE-001
  app.use(session({ secret: "dev" }));
}

export default app;
