const knex = require("knex");

// the client is chosen at run time, and the package declares only MySQL and SQLite drivers
// (pg is a dev dependency): no PostgreSQL statement_timeout to claim
// ok: SC-DB-002
module.exports = knex({ client: process.env.DB_CLIENT, connection: process.env.DATABASE_URL });
