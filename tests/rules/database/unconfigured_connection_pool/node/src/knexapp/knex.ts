import knexFactory from "knex";

// ruleid: SC-DB-001 low
const knex = knexFactory({ client: "pg", connection: process.env.DATABASE_URL });

export default knex;
