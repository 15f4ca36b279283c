"""Route and app-level Middleware extraction for FastAPI, Flask and Django/DRF."""

from __future__ import annotations

from scalescope.model.facts import Middleware, Route
from scalescope.scan.extract.base import extract_file


def _facts(path: str, text: str) -> tuple[list[Route], list[Middleware]]:
    result = extract_file(path, "python", text)
    assert not result.errors, result.errors
    routes = [f for f in result.facts if isinstance(f, Route)]
    mws = [f for f in result.facts if isinstance(f, Middleware)]
    return routes, mws


def _summary(routes: list[Route]) -> set[tuple[str, str, int, str | None, str | None, tuple[str, ...]]]:
    return {(r.method, r.path, r.loc.line, r.handler_id, r.handler_name, r.middleware) for r in routes}


FASTAPI = """from fastapi import APIRouter, Depends, FastAPI
from starlette.middleware import Middleware
from app import crud

app = FastAPI(middleware=[Middleware(GZipMiddleware, minimum_size=500)])
router = APIRouter(prefix="/items", dependencies=[Depends(verify_token)])
app.add_middleware(CORSMiddleware, allow_origins=["*"])


@router.get("/")
async def read_items(db: Session = Depends(get_db), skip: int = 0):
    return crud.get_items(db)


@router.post("/{item_id}", status_code=201)
def create_item(item_id: int):
    pass


@app.api_route("/ping", methods=["GET", "HEAD"])
def ping():
    return "pong"


@app.middleware("http")
async def timer(request, call_next):
    return await call_next(request)

app.include_router(router, prefix="/api")
"""


def test_fastapi_routes_prefixes_dependencies() -> None:
    routes, mws = _facts("app/main.py", FASTAPI)
    assert _summary(routes) == {
        ("GET", "/api/items/", 10, "app/main.py::read_items@11", None, ("verify_token", "get_db")),
        ("POST", "/api/items/{item_id}", 15, "app/main.py::create_item@16", None, ("verify_token",)),
        ("GET", "/ping", 20, "app/main.py::ping@21", None, ()),
        ("HEAD", "/ping", 20, "app/main.py::ping@21", None, ()),
    }
    assert {r.framework for r in routes} == {"fastapi"}
    assert sorted((m.name, m.options, m.loc.line) for m in mws) == [
        ("CORSMiddleware", (("allow_origins", '["*"]'),), 7),
        ("GZipMiddleware", (("minimum_size", "500"),), 5),
        ("timer", (("arg0", '"http"'),), 25),
    ]


FLASK = """from flask import Flask, Blueprint
from flask_limiter import Limiter
from flask.views import MethodView

app = Flask(__name__)
bp = Blueprint("users", __name__, url_prefix="/users")
limiter = Limiter(get_remote_address, app=app, default_limits=["200 per day"])
CORS(app)
cache = Cache(config={"CACHE_TYPE": "redis"})
cache.init_app(app)

@bp.route("/", methods=["GET", "POST"])
@login_required
def users():
    return "x"

@app.get("/health")
def health():
    return "ok"

class UserAPI(MethodView):
    def get(self, id):
        pass
    def delete(self, id):
        pass

bp.add_url_rule("/<int:id>", view_func=UserAPI.as_view("user"))
app.add_url_rule("/ping", "ping", health)
app.register_blueprint(bp, url_prefix="/v1")
"""


def test_flask_routes_blueprints_method_views_extensions() -> None:
    routes, mws = _facts("app.py", FLASK)
    assert _summary(routes) == {
        ("GET", "/v1/users/", 12, "app.py::users@14", None, ("login_required",)),
        ("POST", "/v1/users/", 12, "app.py::users@14", None, ("login_required",)),
        ("GET", "/health", 17, "app.py::health@18", None, ()),
        ("GET", "/v1/users/<int:id>", 27, "app.py::UserAPI.get@22", None, ()),
        ("DELETE", "/v1/users/<int:id>", 27, "app.py::UserAPI.delete@24", None, ()),
        ("GET", "/ping", 28, "app.py::health@18", None, ()),
    }
    assert {r.framework for r in routes} == {"flask"}
    assert [(m.name, m.loc.line) for m in mws] == [("Limiter", 7), ("CORS", 8), ("Cache", 10)]
    assert mws[0].options == (("app", "app"), ("default_limits", '["200 per day"]'))
    assert mws[2].options == (("config", '{"CACHE_TYPE": "redis"}'),)


URLS = """from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter
from django.views.decorators.cache import cache_page
from . import views
from .views import OrderView

router = DefaultRouter()
router.register(r"orders", views.OrderViewSet, basename="order")

api_patterns = [
    path("items/", views.item_list),
]

urlpatterns = [
    path("orders/", views.order_list, name="orders"),
    re_path(r"^orders/(?P<pk>\\d+)/$", OrderView.as_view()),
    path("cached/", cache_page(60)(views.cached)),
    path("api/", include(router.urls)),
    path("v1/", include(api_patterns)),
    path("shop/", include([path("cart/", views.cart)])),
    path("other/", include("other.urls")),
]
"""


def test_django_urls_and_drf_router() -> None:
    routes, _ = _facts("shop/urls.py", URLS)
    drf = {
        (m, p, 8, None, f"OrderViewSet.{a}", ())
        for a, m, p in (
            ("list", "GET", "/api/orders/"),
            ("create", "POST", "/api/orders/"),
            ("retrieve", "GET", "/api/orders/{pk}/"),
            ("update", "PUT", "/api/orders/{pk}/"),
            ("partial_update", "PATCH", "/api/orders/{pk}/"),
            ("destroy", "DELETE", "/api/orders/{pk}/"),
        )
    }
    assert _summary(routes) == drf | {
        ("ANY", "/v1/items/", 11, None, "views.item_list", ()),
        ("ANY", "/orders/", 15, None, "views.order_list", ()),
        ("ANY", "/orders/(?P<pk>\\d+)/", 16, None, "OrderView", ()),
        ("ANY", "/cached/", 17, None, "views.cached", ()),
        ("ANY", "/shop/cart/", 20, None, "views.cart", ()),
    }
    assert {r.framework for r in routes} == {"django"}


def test_django_same_file_class_view() -> None:
    text = """from django.urls import path
from django.views import View

class Health(View):
    def get(self, request):
        return None

def home(request):
    return None

urlpatterns = [path("health/", Health.as_view()), path("", home)]
"""
    routes, _ = _facts("proj/urls.py", text)
    assert _summary(routes) == {
        ("GET", "/health/", 11, "proj/urls.py::Health.get@5", None, ()),
        ("ANY", "/", 11, "proj/urls.py::home@8", None, ()),
    }


def test_django_middleware_setting() -> None:
    text = """MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
]
MIDDLEWARE += ["debug_toolbar.middleware.DebugToolbarMiddleware"]
"""
    _, mws = _facts("proj/settings.py", text)
    assert [(m.framework, m.name, m.loc.line) for m in mws] == [
        ("django", "django.middleware.security.SecurityMiddleware", 2),
        ("django", "django.contrib.sessions.middleware.SessionMiddleware", 3),
        ("django", "debug_toolbar.middleware.DebugToolbarMiddleware", 5),
    ]


def test_look_alikes_are_not_routes() -> None:
    text = """import requests
session = requests.Session()

@functools.lru_cache()
def get(url):
    return requests.get(url, timeout=5)

@cache.get("/key")
def cached():
    pass

@celery_app.task()
def job():
    pass
"""
    routes, mws = _facts("client.py", text)
    assert routes == []
    assert mws == []
