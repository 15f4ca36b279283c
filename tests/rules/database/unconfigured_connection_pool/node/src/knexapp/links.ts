// The shared instance is imported under the package's own name: calling it builds a query on
// that instance's pool; no client is created per call.
import knex from "./knex";

export async function findLink(id: string) {
  // ok: SC-DB-001
  return knex("links").where({ id }).first();
}

export async function removeLinks(ids: string[]) {
  // ok: SC-DB-001
  return knex("links").whereIn("id", ids).delete();
}

export function tableFor(name: string) {
  // ok: SC-DB-001
  return knex(`${name}_archive`).select("id");
}
