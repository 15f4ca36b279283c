import knex from "knex";
import { PrismaClient } from "@prisma/client";

type Step = { auth: { data: { host: string; port: string; user: string; password: string; database: string } } };

// an integration step connects to the database its user configured: not the app's own pool
export const integrationClient = ($: Step) => {
  // ruleid: SC-DB-002 low
  const client = knex({
    client: "pg",
    connection: {
      host: $.auth.data.host,
      port: Number($.auth.data.port),
      user: $.auth.data.user,
      password: $.auth.data.password,
      database: $.auth.data.database,
    },
  });
  return client;
};

// a seed run once at start-up on its own client, disconnected when done
export async function seedDatabase(statements: string[]): Promise<void> {
  // ruleid: SC-DB-002 low
  const prisma = new PrismaClient();
  try {
    for (const sql of statements) {
      await prisma.$executeRawUnsafe(sql);
    }
  } finally {
    await prisma.$disconnect();
  }
}
