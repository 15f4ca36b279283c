"""Cross-file reachability: route handlers resolved across files and the call graph from a
route to the data access it ends in (``ProjectModel.resolve_handler`` / ``routes_reaching``)."""

from __future__ import annotations

from pathlib import Path

from scalescope.model.facts import DataAccess, Function, Loc, Route
from scalescope.model.project import ProjectModel
from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import build_project


def _project(root: Path, files: dict[str, str]) -> ProjectModel:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    model, _, notices = build_project(root, ScanConfig(), jobs=1)
    assert not [n for n in notices if "extractor error" in n.message], notices
    return model


def _fn(model: ProjectModel, qualname: str) -> Function:
    found = [f for f in model.functions.values() if f.id.split("::", 1)[1].rsplit("@", 1)[0] == qualname]
    assert len(found) == 1, (qualname, found)
    return found[0]


def _reached(model: ProjectModel, fn: Function) -> set[tuple[str, str]]:
    return {(r.method, r.path) for r in model.routes_reaching(fn.id)}


def test_express_router_controller_service_prisma(tmp_path: Path) -> None:
    model = _project(
        tmp_path,
        {
            "src/routes/users.routes.ts": """import { Router } from 'express';
import * as usersController from '../controllers/users.controller';
import { getUser } from '../controllers/users.controller';
const router = Router();
router.get('/users', usersController.list);
router.get('/users/:id', getUser);
export default router;
""",
            "src/controllers/users.controller.ts": """import {
  findUsers, findUser,
} from '../services/users.service';
export async function list(req, res) {
  res.json(await findUsers());
}
export const getUser = async (req, res) => res.json(await findUser(req.params.id));
""",
            "src/services/users.service.ts": """import { prisma } from '../db';
export function findUsers() {
  return prisma.user.findMany();
}
export function findUser(id: string) {
  return prisma.user.findUnique({ where: { id } });
}
export function unused() {
  return prisma.user.count();
}
""",
            "src/services/other.service.ts": """export function list() { return []; }
""",
        },
    )
    routes = {r.path: r for r in model.all(Route)}
    handler = model.resolve_handler(routes["/users"])
    assert handler is not None and handler.id == "src/controllers/users.controller.ts::list@4"
    handler = model.resolve_handler(routes["/users/:id"])
    assert handler is not None and handler.id == "src/controllers/users.controller.ts::getUser@7"
    assert _reached(model, _fn(model, "findUsers")) == {("GET", "/users")}
    assert _reached(model, _fn(model, "findUser")) == {("GET", "/users/:id")}
    assert _reached(model, _fn(model, "unused")) == set()
    many = next(a for a in model.all(DataAccess) if a.operation == "findMany")
    assert {r.path for r in model.routes_reaching(many.function_id)} == {"/users"}


def test_nest_controller_to_service_method_with_same_name(tmp_path: Path) -> None:
    model = _project(
        tmp_path,
        {
            "src/users/users.controller.ts": """import { Controller, Get } from '@nestjs/common';
import { UsersService } from './users.service';
@Controller('users')
export class UsersController {
  constructor(private readonly usersService: UsersService) {}
  @Get()
  findAll() {
    return this.usersService.findAll();
  }
}
""",
            "src/users/users.service.ts": """import { Injectable } from '@nestjs/common';
@Injectable()
export class UsersService {
  constructor(private readonly repo: Repository<User>) {}
  findAll() {
    return this.loadAll();
  }
  private loadAll() {
    return this.repo.find();
  }
}
""",
            "src/orders/orders.service.ts": """export class OrdersService {
  findAll() { return []; }
}
""",
        },
    )
    assert _reached(model, _fn(model, "UsersService.findAll")) == {("GET", "/users")}
    assert _reached(model, _fn(model, "UsersService.loadAll")) == {("GET", "/users")}
    assert _reached(model, _fn(model, "OrdersService.findAll")) == set()


def test_fastapi_route_to_crud_module(tmp_path: Path) -> None:
    model = _project(
        tmp_path,
        {
            "backend/app/api/routes/items.py": """from fastapi import APIRouter
from app import crud
from app.crud.users import get_user

router = APIRouter(prefix="/items")

@router.get("/")
def read_items(db):
    return crud.get_items(db)

@router.get("/owner")
def owner(db):
    return get_user(db)
""",
            "backend/app/crud/__init__.py": """def get_items(db):
    return db.query(Item).all()
""",
            "backend/app/crud/users.py": """def get_user(db):
    return db.query(User).first()
""",
            "backend/app/other.py": """def get_items(db):
    return []
""",
        },
    )
    crud_items = model.functions["backend/app/crud/__init__.py::get_items@1"]
    assert _reached(model, crud_items) == {("GET", "/items/")}
    assert _reached(model, model.functions["backend/app/other.py::get_items@1"]) == set()
    assert _reached(model, _fn(model, "get_user")) == {("GET", "/items/owner")}


def test_a_class_method_reaches_its_own_classs_method_not_a_namesake(tmp_path: Path) -> None:
    """``DbProject.update(...)`` from a route and ``cls.update(...)`` inside
    ``DbOrganisation.create``: each class's own ``update``, not every ``update`` of the models
    module (the background task's, which opens a pool per call); a class without its own
    ``update`` may inherit one, so its ``cls.update`` keeps every candidate."""
    model = _project(
        tmp_path,
        {
            "app/routes.py": """from fastapi import APIRouter
from app.models import DbOrganisation, DbProject

router = APIRouter()

@router.post("/projects/{pid}")
async def edit(db, pid):
    return await DbProject.update(db, pid)

@router.post("/organisations")
async def create_org(db):
    return await DbOrganisation.create(db)
""",
            "app/models.py": """class DbProject:
    @classmethod
    async def update(cls, db, pid):
        return pid


class DbOrganisation:
    @classmethod
    async def create(cls, db):
        return await cls.update(db, 1)

    @classmethod
    async def update(cls, db, oid):
        return oid


class DbBackgroundTask:
    @classmethod
    async def update(cls, db, tid):
        return tid
""",
        },
    )
    assert _reached(model, _fn(model, "DbBackgroundTask.update")) == set()
    assert _reached(model, _fn(model, "DbProject.update")) == {("POST", "/projects/{pid}")}
    assert _reached(model, _fn(model, "DbOrganisation.update")) == {("POST", "/organisations")}


def test_fastapi_dependencies_run_for_each_request_of_the_route(tmp_path: Path) -> None:
    """``db: Session = Depends(get_db)`` and ``Annotated[User, Security(current_user)]``:
    FastAPI calls the dependency for every request the route serves, so what it does (open a
    session, build an engine) is on the route's path."""
    model = _project(
        tmp_path,
        {
            "app/main.py": """from typing import Annotated
from fastapi import APIRouter, Depends, Security
from app import deps
from app.db import get_db

router = APIRouter()

@router.get("/items")
def items(db=Depends(get_db)):
    return []

@router.get("/me")
def me(user: Annotated[dict, Security(deps.current_user)]):
    return user
""",
            "app/db.py": """def get_db():
    yield None
""",
            "app/deps.py": """def current_user():
    return {}


def unused():
    return None
""",
        },
    )
    assert _reached(model, _fn(model, "get_db")) == {("GET", "/items")}
    assert _reached(model, _fn(model, "current_user")) == {("GET", "/me")}
    assert _reached(model, _fn(model, "unused")) == set()


def test_instantiating_a_class_runs_its_constructor(tmp_path: Path) -> None:
    """``Repo().get()`` in a handler: ``Repo.__init__`` runs for that route (an engine built in
    a constructor is on the request path); another class's constructor is not."""
    model = _project(
        tmp_path,
        {
            "app/routes.py": """from fastapi import APIRouter
from app.repo import Repo

router = APIRouter()

@router.get("/x")
def x():
    return Repo().get()
""",
            "app/repo.py": """class Repo:
    def __init__(self):
        self.rows = []

    def get(self):
        return self.rows


class Other:
    def __init__(self):
        self.rows = []
""",
        },
    )
    assert _reached(model, _fn(model, "Repo.__init__")) == {("GET", "/x")}
    assert _reached(model, _fn(model, "Other.__init__")) == set()


def test_django_urls_to_views(tmp_path: Path) -> None:
    model = _project(
        tmp_path,
        {
            "shop/urls.py": """from django.urls import path
from rest_framework.routers import DefaultRouter
from . import views
from .views import OrderDetail

router = DefaultRouter()
router.register("products", views.ProductViewSet)

urlpatterns = [
    path("orders/", views.order_list),
    path("orders/<int:pk>/", OrderDetail.as_view()),
]
""",
            "shop/views.py": """from django.views import View
from .services import load_orders

def order_list(request):
    return load_orders()

class OrderDetail(View):
    def get(self, request, pk):
        return Order.objects.get(pk=pk)

class ProductViewSet(viewsets.ModelViewSet):
    def get_queryset(self):
        return Product.objects.filter(active=True)
""",
            "shop/services.py": """def load_orders():
    return list(Order.objects.all())
""",
        },
    )
    assert _reached(model, _fn(model, "load_orders")) == {("ANY", "/orders/")}
    assert _reached(model, _fn(model, "OrderDetail.get")) == {("ANY", "/orders/<int:pk>/")}
    reached = _reached(model, _fn(model, "ProductViewSet.get_queryset"))
    assert ("GET", "/products/") in reached and ("GET", "/products/{pk}/") in reached
    route = next(r for r in model.all(Route) if r.path == "/orders/<int:pk>/")
    handler = model.resolve_handler(route)
    assert handler is not None and handler.name == "get"


def test_express_same_file_handler_shadowing_is_receiver_aware(tmp_path: Path) -> None:
    model = _project(
        tmp_path,
        {
            "src/app.ts": """import express from 'express';
import { articleService } from './article.service';
const app = express();
class Local { find() { return 1; } }
app.get('/articles', async (req, res) => res.json(await articleService.find()));
""",
            "src/article.service.ts": """export const articleService = {
  async find() { return db.article.findMany(); },
};
""",
        },
    )
    assert _reached(model, _fn(model, "find")) == {("GET", "/articles")}
    assert _reached(model, _fn(model, "Local.find")) == set()


def test_a_package_import_never_resolves_to_a_project_function(tmp_path: Path) -> None:
    """``getToken`` imported from next-auth is the package's: the project's own default export
    named ``getToken`` (a settings helper) is not reached from the route that calls it."""
    model = _project(
        tmp_path,
        {
            "src/app.ts": """import express from 'express';
import { getToken } from 'next-auth/jwt';
import { load } from '@acme/lib';
const app = express();
app.get('/feed', async (req, res) => {
  const token = await getToken({ req });
  res.json(await load(token));
});
app.listen(3000);
""",
            "src/tokens.ts": """export default async function getToken(userId) {
  return prisma.token.findMany({ where: { ownerId: userId } });
}
""",
            "packages/lib/package.json": '{"name": "@acme/lib"}',
            "packages/lib/load.ts": """export async function load(t) {
  return prisma.item.findMany({ where: { ownerId: t } });
}
""",
        },
    )
    assert _reached(model, _fn(model, "getToken")) == set()
    # a workspace package of the repository is local code: its functions are reached
    assert _reached(model, _fn(model, "load")) == {("GET", "/feed")}


def test_functions_with_the_same_span_nest_without_a_cycle() -> None:
    """Two function facts can cover the same lines (a wrapper call and the arrow function it
    wraps); each used to count as the other's enclosing function, and walking up from either
    never ended (a scan of a real TypeScript backend hung in ``routes_reaching``)."""
    a = Function(Loc("src/h.ts", 3, 9), id="src/h.ts::handler@3", name="handler")
    b = Function(Loc("src/h.ts", 3, 9), id="src/h.ts::<arrow>@3", name="<arrow>")
    inner = Function(Loc("src/h.ts", 5, 6), id="src/h.ts::cb@5", name="cb")
    same = Function(Loc("src/h.ts", 5, 6), id="src/h.ts::cb@5", name="cb")  # the fact twice
    model = ProjectModel(Path("."), facts=(a, b, inner, same))
    chain = []
    current: Function | None = inner
    while current is not None:
        chain.append(current.id)
        current = model.enclosing_function(current.id)
        assert len(chain) < 5
    assert chain == [inner.id, a.id, b.id]  # equal spans nest in id order
    assert model.enclosing_function(b.id) is None
    assert model.routes_reaching(inner.id) == ()


def test_functions_that_share_an_id_nest_without_a_cycle(tmp_path: Path) -> None:
    """Minified JavaScript puts several anonymous functions on one line, so two facts share the
    id ``<anonymous>@1`` with different spans and a named function sits between them in the
    nesting order; the later fact used to make its id the named function's child while the
    named function was already that id's child, and ``routes_reaching`` never returned (a
    CKEditor bundle in a real repository hung the scan). The id is one function, placed where
    its first fact is."""
    model = _project(
        tmp_path,
        {
            "package.json": '{"name": "m", "main": "a.js"}',
            "a.js": "call(function () { function replaceClass() { go(function () { return 1; });\n  } });\n",
        },
    )
    for fn in model.functions.values():
        chain = []
        current: Function | None = fn
        while current is not None:
            chain.append(current.id)
            current = model.enclosing_function(current.id)
            assert len(chain) < 5, chain
        assert model.routes_reaching(fn.id) == ()
    assert model.enclosing_function("a.js::replaceClass@1") is not None


def test_method_guard_keeps_post_only_calls_off_the_get_route(tmp_path: Path) -> None:
    """One handler for GET and POST: what it calls under ``request.method == "POST"`` is reached
    by the POST route only; what it calls unconditionally by both."""
    model = _project(
        tmp_path,
        {
            "app/main.py": """from fastapi import FastAPI, Request

app = FastAPI()


def cancel(payout_id):
    pass


def stamp(payout_id):
    pass


@app.api_route("/payouts/{payout_id}/cancel", methods=["GET", "POST"])
async def cancel_dialog(request: Request, payout_id: int):
    stamp(payout_id)
    if request.method == "POST":
        cancel(payout_id)
    return {}
""",
        },
    )
    path = "/payouts/{payout_id}/cancel"
    assert _reached(model, _fn(model, "cancel")) == {("POST", path)}
    assert _reached(model, _fn(model, "stamp")) == {("GET", path), ("POST", path)}
