exports.up = async (knex) => {
  await knex.schema.createTable("tickets", (t) => {
    t.increments("id");
    t.string("subject").notNullable();
    t.text("description");
    t.string("requester_email");
    t.integer("assignee_id");
    t.timestamps(true, true);
  });
  await knex.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm");
  await knex.raw("CREATE INDEX tickets_requester_email_trgm ON tickets USING gin (requester_email gin_trgm_ops)");
};

exports.down = async (knex) => {
  await knex.schema.dropTable("tickets");
};
