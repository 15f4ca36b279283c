import Redis from "ioredis";

const redis = new Redis(process.env.REDIS_URL!);

export async function saveDraft(id: string, body: string) {
  await redis.set(`draft:${id}`, body);
}
