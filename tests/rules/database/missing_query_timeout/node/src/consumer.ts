import { Pool } from "pg";

// a queue consumer's own pool: no file that registers routes imports this module, so a long
// query stalls this consumer, not user requests
// ruleid: SC-DB-002 low
const consumerPool = new Pool({ connectionString: process.env.DATABASE_URL, max: 2 });

export async function consume(message: { id: string }): Promise<void> {
  await consumerPool.query("UPDATE events SET handled = true WHERE id = $1", [message.id]);
}
