"""tRPC procedures as routes (``scalescope.scan.extract.js.routes_trpc``) and the tRPC route
graph in ``scalescope.model.mounts``: dotted key paths from the router an adapter serves,
sub-routers, procedures bound to variables, unmounted routers, admin procedures."""

from __future__ import annotations

from pathlib import Path

from scalescope.model.facts import Function, Route
from scalescope.model.project import ProjectModel
from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import build_project

FIXTURES = Path(__file__).parent / "fixtures"


def _model(root: Path) -> ProjectModel:
    model, _, notices = build_project(root, ScanConfig(), jobs=1)
    assert not [n for n in notices if "extractor error" in n.message], notices
    return model


def _project(root: Path, files: dict[str, str]) -> ProjectModel:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return _model(root)


def _trpc(routes: tuple[Route, ...]) -> set[tuple[str, str]]:
    return {(r.display, r.loc.file) for r in routes if r.framework == "trpc"}


def _fn(model: ProjectModel, name: str) -> Function:
    found = [f for f in model.functions.values() if f.id.split("::", 1)[1].rsplit("@", 1)[0] == name]
    assert len(found) == 1, (name, found)
    return found[0]


def _reaching(model: ProjectModel, name: str) -> set[str]:
    return {r.display for r in model.routes_reaching(_fn(model, name).id)}


def test_next_trpc_routes_have_dotted_paths_from_the_served_router() -> None:
    model = _model(FIXTURES / "trpc_next")
    assert _trpc(model.routes) == {
        ("tRPC query user.byId", "src/server/routers/user.ts"),
        ("tRPC mutation user.rename", "src/server/routers/user.ts"),
        ("tRPC query post.list", "src/server/routers/post.ts"),
        # an inline sub-router, and a plain object sub-router naming a procedure variable
        ("tRPC mutation post.comments.add", "src/server/routers/post.ts"),
        ("tRPC mutation post.drafts.publish", "src/server/procedures/publish-draft.ts"),
        ("tRPC mutation staff.purgeUsers", "src/server/routers/admin.ts"),
    }
    # a router nothing serves: its procedure is no route
    assert _trpc(model.mount_graph.unmounted) == {("tRPC mutation wipe", "src/server/routers/legacy.ts")}
    assert not model.mount_graph.unverified


def test_next_trpc_handlers_reach_the_services_they_call() -> None:
    model = _model(FIXTURES / "trpc_next")
    assert _reaching(model, "renameUser") == {"tRPC mutation user.rename"}
    assert _reaching(model, "publishPost") == {"tRPC mutation post.drafts.publish"}
    assert _reaching(model, "addComment") == {"tRPC mutation post.comments.add"}
    assert _reaching(model, "wipeAll") == set()  # only the unmounted legacy router calls it


def test_next_trpc_admin_procedure_is_an_admin_route() -> None:
    model = _model(FIXTURES / "trpc_next")
    admin = {r.path for r in model.routes if r.framework == "trpc" and model.is_admin_route(r)}
    assert admin == {"staff.purgeUsers"}  # built from adminProcedure
    (purge,) = model.routes_reaching(_fn(model, "purgeUsers").id)
    assert purge.middleware == ("adminProcedure",)


def test_express_trpc_merged_routers_and_admin_key() -> None:
    model = _model(FIXTURES / "trpc_express")
    assert _trpc(model.routes) == {
        ("tRPC query health", "src/routers/index.ts"),
        ("tRPC mutation orders.place", "src/routers/orders.ts"),
        ("tRPC mutation admin.refund", "src/routers/orders.ts"),
    }
    assert _trpc(model.mount_graph.unmounted) == {("tRPC query exportAll", "src/routers/reports.ts")}
    assert _reaching(model, "placeOrder") == {"tRPC mutation orders.place"}
    assert _reaching(model, "exportOrders") == set()
    (refund,) = model.routes_reaching(_fn(model, "refundOrder").id)
    assert model.is_admin_route(refund)  # a procedure under the router key ``admin``
    (place,) = model.routes_reaching(_fn(model, "placeOrder").id)
    assert not model.is_admin_route(place)


TRPC_BASE = """import { initTRPC } from "@trpc/server";
const t = initTRPC.create();
export const router = t.router;
export const publicProcedure = t.procedure;
export const adminProcedure = t.procedure.use(isAdmin);
"""


def test_caller_factory_serves_a_router(tmp_path: Path) -> None:
    """Server code calling procedures through ``createCallerFactory(appRouter)`` runs them."""
    model = _project(
        tmp_path,
        {
            "package.json": '{"name": "app"}',
            "src/trpc.ts": TRPC_BASE,
            "src/root.ts": """import { router, publicProcedure } from "./trpc";
import { createCallerFactory } from "@trpc/server";
export const appRouter = router({
  ping: publicProcedure.query(() => "pong"),
});
export const createCaller = createCallerFactory(appRouter);
""",
            "src/other.ts": """import { router, publicProcedure } from "./trpc";
export const otherRouter = router({
  pong: publicProcedure.query(() => "ping"),
});
""",
        },
    )
    assert _trpc(model.routes) == {("tRPC query ping", "src/root.ts")}
    assert _trpc(model.mount_graph.unmounted) == {("tRPC query pong", "src/other.ts")}


def test_routers_without_an_adapter_in_their_package_are_kept_as_written(tmp_path: Path) -> None:
    """A package of routers whose adapter lives where the scanner cannot see it: the procedures
    are routes as written (the existing rule for routers of a package with no entry point), and
    a same-file builder's ``.use()`` middleware makes an admin route."""
    model = _project(
        tmp_path,
        {
            "packages/api/package.json": '{"name": "@acme/api"}',
            "packages/api/src/trpc.ts": TRPC_BASE,
            "packages/api/src/user.ts": """import { initTRPC } from "@trpc/server";
const t = initTRPC.create();
const staffOnly = t.procedure.use(requireAdmin);
export const userRouter = t.router({
  byId: t.procedure.query(({ input }) => input),
  ban: staffOnly.mutation(({ input }) => input),
});
""",
        },
    )
    routes = {r.display: r for r in model.routes if r.framework == "trpc"}
    assert set(routes) == {"tRPC query byId", "tRPC mutation ban"}
    assert model.mount_graph.unverified == {"trpc"}
    assert routes["tRPC mutation ban"].middleware == ("staffOnly", "t.procedure", "requireAdmin")
    assert model.is_admin_route(routes["tRPC mutation ban"])
    assert not model.is_admin_route(routes["tRPC query byId"])


def test_query_calls_that_are_not_procedures_are_no_routes(tmp_path: Path) -> None:
    """``db.query(sql)``, a vue-router ``createRouter({ routes })``: no tRPC routes."""
    model = _project(
        tmp_path,
        {
            "package.json": '{"name": "app"}',
            "src/db.ts": """import { Pool } from "pg";
const pool = new Pool();
export const rows = pool.query("select 1");
export const handler = async () => pool.query(async () => 1);
""",
            "src/router.ts": """import { createRouter, createWebHistory } from "vue-router";
import routes from "./routes";
export const router = createRouter({ history: createWebHistory(), routes });
""",
        },
    )
    assert not [r for r in model.all(Route) if r.framework == "trpc"]


def test_an_adapter_serving_a_parameter_is_no_entry_point(tmp_path: Path) -> None:
    """``createExpressMiddleware({ router })`` where ``router`` is a wrapper's option: what it
    serves is out of sight, so the package's procedures are kept as written, not unmounted."""
    model = _project(
        tmp_path,
        {
            "package.json": '{"name": "app", "main": "src/main.ts"}',
            "src/trpc.ts": TRPC_BASE,
            "src/setup.ts": """import * as trpcExpress from "@trpc/server/adapters/express";
export function setupTRPC(app, options) {
  const { router, createContext } = options;
  app.use("/trpc", trpcExpress.createExpressMiddleware({ router, createContext }));
}
""",
            "src/root.ts": """import { router, publicProcedure } from "./trpc";
export const appRouter = router({
  ping: publicProcedure.query(() => "pong"),
});
""",
        },
    )
    assert _trpc(model.routes) == {("tRPC query ping", "src/root.ts")}
    assert model.mount_graph.unverified == {"trpc"}
