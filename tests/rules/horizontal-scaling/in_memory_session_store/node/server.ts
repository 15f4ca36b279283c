import Fastify from "fastify";
import fastifySession from "@fastify/session";
import fastifyCookie from "@fastify/cookie";

const app = Fastify();
app.register(fastifyCookie);
// ruleid: SC-SCALE-001
app.register(fastifySession, { secret: process.env.SESSION_SECRET!, cookie: { secure: true } });

export default app;
