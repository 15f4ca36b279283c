import Redis from "ioredis";

const redis = new Redis(process.env.REDIS_URL!);

export async function remember(key: string, value: string) {
  await redis.set(`page:${key}`, value, "EX", 60);
}

export async function rememberUser(id: string, value: string) {
  await redis.setex(`user:${id}`, 300, value);
}
