const postgres = require("postgres");

// 12 replicas x postgres-js's default max 10 = 120 connections, past PostgreSQL's default 100
// ruleid: SC-DB-001
const sql = postgres(process.env.DATABASE_URL);

module.exports = { sql };
