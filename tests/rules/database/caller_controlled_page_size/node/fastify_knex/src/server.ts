import Fastify from "fastify";
import knexFactory from "knex";

const knex = knexFactory({ client: "pg", connection: process.env.DATABASE_URL });
const fastify = Fastify();

const linksQuery = {
  type: "object",
  properties: {
    pageLimit: { type: "integer", minimum: 1, maximum: 100, default: 20 },
  },
};

fastify.get("/links", { schema: { querystring: linksQuery } }, async (request) => {
  const { pageLimit } = request.query as { pageLimit: number };
  // ok: SC-DB-012
  return knex("links").orderBy("id", "desc").limit(pageLimit);
});

fastify.get("/visits", { schema: { querystring: { type: "object", properties: { span: { type: "integer" } } } } }, async (request) => {
  const { span } = request.query as { span: number };
  // ruleid: SC-DB-012
  return knex("visits").orderBy("id", "desc").limit(span);
});

fastify.listen({ port: 3000 });
