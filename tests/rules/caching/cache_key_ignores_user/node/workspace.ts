import { Redis } from "ioredis";

const redis = new Redis(process.env.REDIS_URL!);

export const POST = async (req: Request, { workspace, session }: { workspace: { id: string }; session: { user: { id: string } } }) => {
  const { domain } = await req.json();
  // one entry per workspace (the tenant); recording who saved it is not a leak
  // ok: SC-CACHE-008
  await redis.set(`onboarding-domain:${workspace.id}`, JSON.stringify({ domain, userId: session.user.id }), "EX", 86400);
  // ruleid: SC-CACHE-008
  await redis.set("onboarding-domain:latest", JSON.stringify({ domain, userId: session.user.id }), "EX", 86400);
  return Response.json({ ok: true });
};
