import knexFactory from "knex";

// ruleid: SC-DB-001
const knex = knexFactory({ client: "pg", connection: process.env.DATABASE_URL });

export default knex;
