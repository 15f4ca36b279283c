const knex = require("knex");

// pg is declared (the app checks other people's PostgreSQL servers), but its own database is
// built from one of the configurations below: MySQL or SQLite
function connect(kind) {
  let config = {};
  if (kind === "mysql") {
    config = { client: "mysql2", connection: { host: process.env.DB_HOST, database: "app" } };
  } else {
    config = { client: "better-sqlite3", connection: { filename: "./data/app.db" }, useNullAsDefault: true };
  }
  // ok: SC-DB-002
  return knex(config);
}

module.exports = { connect };
