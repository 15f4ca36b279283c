import { Queue } from "bullmq";
import IORedis from "ioredis";

const connection = new IORedis(process.env.REDIS_URL!);
export const emails = new Queue("emails", { connection });

export async function cacheProfile(id: string, json: string) {
  await connection.set(`profile:${id}`, json, "EX", 300);
}
