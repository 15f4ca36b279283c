import { type Knex } from "knex";

const connection = process.env.DATABASE_URL;

// ruleid: SC-DB-002
const RUNTIME_CONFIG: Knex.Config = {
  client: "postgresql",
  connection,
  pool: { min: 0, max: 5 },
};

// The test suite's database (selected when NODE_ENV is "test"): not production's.
// ruleid: SC-DB-002 low
const TESTS_CONFIG: Knex.Config = {
  client: "postgresql",
  connection: `${connection}-test`,
};

export default process.env.NODE_ENV === "test" ? TESTS_CONFIG : RUNTIME_CONFIG;
