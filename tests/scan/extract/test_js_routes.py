"""Route and app-level Middleware extraction for Express, Fastify, NestJS and Next.js."""

from __future__ import annotations

from scalescope.model.facts import Middleware, Route
from scalescope.scan.extract.base import extract_file


def _facts(path: str, text: str, language: str = "typescript") -> tuple[list[Route], list[Middleware]]:
    result = extract_file(path, language, text)
    assert not result.errors, result.errors
    routes = [f for f in result.facts if isinstance(f, Route)]
    mws = [f for f in result.facts if isinstance(f, Middleware)]
    return routes, mws


def _summary(routes: list[Route]) -> set[tuple[str, str, int, str | None, str | None, tuple[str, ...]]]:
    return {(r.method, r.path, r.loc.line, r.handler_id, r.handler_name, r.middleware) for r in routes}


EXPRESS = """import express, { Router } from 'express';
import rateLimit from 'express-rate-limit';
import { listUsers } from './users.controller';
import * as ctrl from './orders.controller';

const app = express();
const router = express.Router();
const limiter = rateLimit({ windowMs: 60000, max: 100 });

app.use(helmet());
app.use(express.json({ limit: '1mb' }));
app.use(limiter);
app.use('/api', router);

function health(req, res) { res.send('ok'); }

router.get('/users', auth, listUsers);
router.post('/orders', [auth, validate(schema)], ctrl.create);
router.route('/items/:id').get(async (req, res) => res.json({})).put(asyncHandler(ctrl.update));
app.get('/health', health);
app.all('*', (req, res) => res.status(404).end());
axiosInstance.post('/users', data);
redis.get('key', (err, value) => value);
cache.get('/users', loader);
"""


def test_express_routes_prefixes_handlers_and_middleware() -> None:
    routes, mws = _facts("src/app.ts", EXPRESS)
    assert _summary(routes) == {
        ("GET", "/api/users", 17, None, "listUsers", ("auth",)),
        ("POST", "/api/orders", 18, None, "ctrl.create", ("auth", "validate")),
        ("GET", "/api/items/:id", 19, "src/app.ts::<anonymous>@19", None, ()),
        ("PUT", "/api/items/:id", 19, None, "ctrl.update", ()),
        ("GET", "/health", 20, "src/app.ts::health@15", None, ()),
        ("ANY", "*", 21, "src/app.ts::<anonymous>@21", None, ()),
    }
    assert all(r.framework == "express" for r in routes)
    assert [(m.name, m.options, m.loc.line) for m in mws] == [
        ("helmet", (), 10),
        ("express.json", (("limit", "'1mb'"),), 11),
        ("rateLimit", (("windowMs", "60000"), ("max", "100")), 12),
    ]


def test_express_same_file_controller_objects_and_classes() -> None:
    text = """import { Router } from 'express';
const controller = {
  list: async (req, res) => res.json([]),
  show(req, res) { res.json({}) },
};
class ItemsController {
  all(req, res) { res.json([]) }
}
const items = new ItemsController();
export const itemsRouter = Router();
itemsRouter.get('/', controller.list);
itemsRouter.get('/:id', controller.show);
itemsRouter.get('/all', items.all.bind(items));
"""
    routes, _ = _facts("src/items.ts", text)
    assert _summary(routes) == {
        ("GET", "/", 11, "src/items.ts::list@3", None, ()),
        ("GET", "/:id", 12, "src/items.ts::show@4", None, ()),
        ("GET", "/all", 13, "src/items.ts::ItemsController.all@7", None, ()),
    }


def test_express_chained_router_mount_and_this_router() -> None:
    text = """import { Router } from 'express';
const api = Router().get('/tags', getTags);
export default Router().use('/api', api);
class UserRoutes {
  router = Router();
  constructor() {
    this.router.get('/users', this.list);
  }
  list = async (req, res) => res.json([]);
}
"""
    routes, mws = _facts("src/routes.ts", text)
    assert _summary(routes) == {
        ("GET", "/api/tags", 2, None, "getTags", ()),
        ("GET", "/users", 7, "src/routes.ts::UserRoutes.list@9", None, ()),
    }
    assert mws == []


FASTIFY = """import Fastify, { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';

const server = Fastify({ logger: true });
server.register(rateLimit, { max: 100, timeWindow: '1 minute' });
server.register(require('@fastify/cors'));

async function userRoutes(fastify: FastifyInstance) {
  fastify.get('/', { preHandler: [fastify.authenticate] }, async (request, reply) => {
    return [];
  });
  fastify.route({ method: ['GET', 'HEAD'], url: '/:id', handler: getUser, preHandler: auth });
}

server.register(userRoutes, { prefix: '/users' });
server.get('/health', async () => ({ ok: true }));
"""


def test_fastify_plugin_registered_with_a_prefix_is_routes_not_middleware() -> None:
    text = """import Fastify from 'fastify';
import helmet from '@fastify/helmet';
import { apiKeyController } from './controllers/apiKeys';

const server = Fastify();
server.register(helmet);
server.register(apiKeyController, { prefix: '/admin-keys' });
"""
    _, mws = _facts("src/app.ts", text)
    assert [(m.name, m.loc.line) for m in mws] == [("helmet", 6)]


def test_fastify_routes_plugins_and_register_middleware() -> None:
    routes, mws = _facts("src/server.ts", FASTIFY)
    assert _summary(routes) == {
        ("GET", "/users", 9, "src/server.ts::<anonymous>@9", None, ("fastify.authenticate",)),
        ("GET", "/users/:id", 12, None, "getUser", ("auth",)),
        ("HEAD", "/users/:id", 12, None, "getUser", ("auth",)),
        ("GET", "/health", 16, "src/server.ts::<anonymous>@16", None, ()),
    }
    assert {r.framework for r in routes} == {"fastify"}
    assert [(m.framework, m.name, m.options, m.loc.line) for m in mws] == [
        ("fastify", "rateLimit", (("max", "100"), ("timeWindow", "'1 minute'")), 5),
        ("fastify", "@fastify/cors", (), 6),
    ]


NEST = """import { Controller, Get, Post, UseGuards, UseInterceptors } from '@nestjs/common';
import { CacheInterceptor } from '@nestjs/cache-manager';

@Controller('users')
@UseGuards(AuthGuard('jwt'))
export class UsersController {
  constructor(private readonly usersService: UsersService) {}

  @Get()
  @UseInterceptors(CacheInterceptor)
  findAll() {
    return this.usersService.findAll();
  }

  @Get(':id')
  findOne(@Param('id') id: string) {
    return this.usersService.findOne(id);
  }

  @Post()
  create(@Body() dto: CreateUserDto) {
    return this.usersService.create(dto);
  }

  helper() {}
}
"""


def test_nest_controller_routes() -> None:
    routes, _ = _facts("src/users/users.controller.ts", NEST)
    fid = "src/users/users.controller.ts::UsersController"
    assert _summary(routes) == {
        ("GET", "/users", 9, f"{fid}.findAll@11", None, ("AuthGuard", "CacheInterceptor")),
        ("GET", "/users/:id", 15, f"{fid}.findOne@16", None, ("AuthGuard",)),
        ("POST", "/users", 20, f"{fid}.create@21", None, ("AuthGuard",)),
    }
    assert {r.framework for r in routes} == {"nestjs"}


def test_nest_global_middleware_and_app_guard() -> None:
    main = """import { NestFactory } from '@nestjs/core';
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.use(helmet());
  app.useGlobalGuards(new ThrottlerGuard());
  app.enableCors({ origin: '*' });
  await app.listen(3000);
}
"""
    _, mws = _facts("src/main.ts", main)
    assert [(m.framework, m.name, m.options, m.loc.line, m.function_id) for m in mws] == [
        ("nestjs", "helmet", (), 4, "src/main.ts::bootstrap@2"),
        ("nestjs", "ThrottlerGuard", (), 5, "src/main.ts::bootstrap@2"),
        ("nestjs", "enableCors", (("origin", "'*'"),), 6, "src/main.ts::bootstrap@2"),
    ]
    module = """@Module({
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class AppModule {}
"""
    _, mws = _facts("src/app.module.ts", module)
    assert [(m.name, m.loc.line) for m in mws] == [("ThrottlerGuard", 2)]


def test_next_pages_api_methods() -> None:
    text = """import { prisma } from '../../lib/prisma';
export default async function handler(req, res) {
  if (req.method === 'GET') {
    return res.json(await prisma.user.findMany());
  }
  if (req.method === 'POST') {
    return res.json({});
  }
}
"""
    routes, _ = _facts("src/pages/api/users/index.ts", text)
    assert _summary(routes) == {
        ("GET", "/api/users", 2, "src/pages/api/users/index.ts::handler@2", None, ()),
        ("POST", "/api/users", 2, "src/pages/api/users/index.ts::handler@2", None, ()),
    }
    routes, _ = _facts(
        "pages/api/items/[id].js",
        "const h = (req, res) => res.end();\nexport default withAuth(h);\n",
        "javascript",
    )
    assert _summary(routes) == {("ANY", "/api/items/[id]", 2, "pages/api/items/[id].js::h@1", None, ())}


def test_next_app_router_and_server_actions() -> None:
    text = """export async function GET(request: Request) {
  return Response.json([]);
}
export const POST = withAuth(async (req) => Response.json({}));
const handler = async () => new Response();
export { handler as DELETE };
export const dynamic = 'force-dynamic';
"""
    routes, _ = _facts("apps/web/app/(dashboard)/api/teams/[id]/route.ts", text)
    f = "apps/web/app/(dashboard)/api/teams/[id]/route.ts"
    assert _summary(routes) == {
        ("GET", "/api/teams/[id]", 1, f"{f}::GET@1", None, ()),
        ("POST", "/api/teams/[id]", 4, f"{f}::<anonymous>@4", None, ()),
        ("DELETE", "/api/teams/[id]", 6, f"{f}::handler@5", None, ()),
    }
    actions = """'use server';
export async function createPost(form: FormData) {}
export const deletePost = async (id: string) => {};
async function internal() {}
"""
    routes, _ = _facts("app/posts/actions.ts", actions)
    assert _summary(routes) == {
        ("POST", "action:createPost", 2, "app/posts/actions.ts::createPost@2", None, ()),
        ("POST", "action:deletePost", 3, "app/posts/actions.ts::deletePost@3", None, ()),
    }
    inline = """export default function Page() {
  async function save() {
    'use server';
  }
  return null;
}
export async function publish() {
  'use server';
}
"""
    routes, _ = _facts("app/page.tsx", inline, "tsx")
    assert _summary(routes) == {("POST", "action:publish", 7, "app/page.tsx::publish@7", None, ())}


def test_look_alikes_are_not_routes() -> None:
    text = """import axios from 'axios';
const api = axios.create({ baseURL: '/x' });
api.post('/users', payload);
api.get('/users', config);
map.get('a');
redis.get('/k', (err, v) => v);
"""
    routes, mws = _facts("src/client.ts", text)
    assert routes == []
    assert mws == []


def test_broken_input_does_not_crash() -> None:
    routes, _ = _facts(
        "src/bad.ts", "import express from 'express';\nconst app = express();\napp.get('/x', \n"
    )
    assert all(r.path == "/x" for r in routes)


def test_medusa_file_routes() -> None:
    text = "export const GET = async (req, res) => {\n  res.json({});\n};\n"
    routes, _ = _facts("packages/medusa/src/api/store/products/[id]/route.ts", text)
    f = "packages/medusa/src/api/store/products/[id]/route.ts"
    assert _summary(routes) == {("GET", "/store/products/[id]", 1, f"{f}::GET@1", None, ())}
    assert routes[0].framework == "medusa"
