import Fastify from "fastify";
import postsRoutes from "./routes/posts";

const app = Fastify();
app.register(postsRoutes, { prefix: "/posts" });
app.listen({ port: 3000 });
