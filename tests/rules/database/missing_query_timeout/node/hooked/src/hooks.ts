import { pool } from "./db";

pool.on("connect", (client) => {
  client.query("SET statement_timeout = 5000");
});

// SET statement_timeout in a comment is not code
