const knex = require("knex");

// the client is chosen at run time and PostgreSQL is among the declared drivers
// ruleid: SC-DB-002
module.exports = knex({ client: process.env.DB_CLIENT, connection: process.env.DATABASE_URL });
