// cookie sessions keep nothing on the server
const Koa = require("koa");
const cookieSession = require("cookie-session");
const koaSession = require("koa-session");
const genericSession = require("koa-generic-session");
const express = require("express");

const web = express();
// ok: SC-SCALE-001
web.use(cookieSession({ name: "session", keys: ["k"] }));

const app = new Koa();
// ok: SC-SCALE-001
app.use(koaSession({ key: "koa.sess" }, app));

// koa-generic-session defaults to a MemoryStore
// ruleid: SC-SCALE-001
app.use(genericSession());

module.exports = { app, web };
