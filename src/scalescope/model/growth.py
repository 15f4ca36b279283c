"""Which tables grow: each table classified from the code that inserts into it.

A list query or a missing index costs in proportion to the table. Whether the table grows is a
fact of the code: who inserts into it.

- **grows** (``request``): an insert is reached from a route that end users call (not an admin
  route). The growth drivers are those routes and the insert: "orders grows with every POST
  /orders".
- **grows with time** (``job``): inserted only outside requests, by background work (a task,
  actor, queue processor or scheduled function, or code in a file that wires a queue or
  scheduler library), and by functions those call.
- **catalog**: inserted only by admin routes (an ``admin`` path segment, or an admin guard,
  middleware or decorator), seed scripts, fixtures, migrations or CLI commands: a handful of
  plan types, a settings table.
- **unknown**: no insert seen, or one the model cannot place (a function no route or job
  reaches, or a ``save`` that may be an update run by a request or a job). Rules treat it as
  before.

Inputs are facts only: :class:`DataAccess` writes whose operation inserts (``create``,
``insert``, ``save``, ``upsert``, ``bulk_create``...), ``routes_reaching``, route paths,
middleware and handler decorators, function decorators, imports, and a file's role from the
model's one definition (:meth:`ProjectModel.role`: seed, CLI, migration and test code from the
project's entry points and config). Each service of a monorepo has its own tables: inserts are
keyed by the service's package root.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scalescope.model.facts import DataAccess, Function, Import, Loc, Route, Table

if TYPE_CHECKING:
    from scalescope.model.project import ProjectModel

GROWS = "grows"
GROWS_WITH_TIME = "grows-with-time"
CATALOG = "catalog"
UNKNOWN = "unknown"

#: operations that add rows (lower-cased); updates and deletes do not make a table grow
INSERT_OPERATIONS = frozenset(
    {
        "create",
        "createmany",
        "createmanyandreturn",
        "insert",
        "insertmany",
        "insertone",
        "insert_one",
        "insert_many",
        "upsert",
        "save",  # insert or update (see _MAYBE_INSERT)
        "bulkcreate",
        "bulk_create",
        "get_or_create",
        "update_or_create",
        "findorcreate",
        "add",
        "add_all",
    }
)

# an admin-only route: a path segment, or a guard/middleware/decorator naming admins, staff or
# moderators (privileged roles: a handful of people use these routes)
_ADMIN_SEGMENT = re.compile(r"(^|/)(admin|superadmin|super-admin|backoffice|back-office)([/_-]|$)", re.I)
_ADMIN_GUARD = re.compile(r"admin|superuser|is_staff|staff_member|staff_required|IsStaff|moderator", re.I)
# decorators of background work (Celery/RQ/Dramatiq/Huey tasks, APScheduler jobs, Nest
# @Cron/@Interval/@Process) and of CLI commands (click, typer, Flask CLI)
_JOB_DECORATORS = frozenset(
    {
        "shared_task",
        "task",
        "periodic_task",
        "db_task",
        "db_periodic_task",
        "actor",
        "job",
        "scheduled_job",
        "repeat_every",
        "cron",
        "interval",
        "timeout",
        "process",
        "processor",
    }
)
# operations that insert or update depending on their argument (TypeORM/Mongoose ``save``): a
# request or job running one is no proof of growth, but it does rule out "catalog"
_MAYBE_INSERT = frozenset({"save"})
_CLI_DECORATORS = frozenset({"command", "group", "with_appcontext"})
# libraries whose import marks a file as wiring background work
_JOB_MODULES = re.compile(
    r"^(bullmq|bull|bee-queue|agenda|node-cron|cron|node-schedule|toad-scheduler|pg-boss|graphile-worker|"
    r"@nestjs/schedule|@nestjs/bull|@nestjs/bullmq|celery|rq|dramatiq|apscheduler|huey|arq|django_rq|"
    r"celery\..*|apscheduler\..*|dramatiq\..*)$"
)


@dataclass(frozen=True, slots=True)
class Writer:
    """One insert into a table and who runs it: ``request`` (a user-facing route), ``admin``
    (admin routes only), ``job``, ``tooling`` (seed, fixture, migration, CLI) or ``unknown``."""

    loc: Loc
    kind: str
    routes: tuple[Route, ...] = ()
    role: str = ""  # for tooling: seed script, fixture, migration, CLI script, test

    @property
    def where(self) -> str:
        return f"{self.loc.file}:{self.loc.line}"


@dataclass(frozen=True, slots=True)
class TableGrowth:
    """How a table grows, with the inserts that show it."""

    name: str
    kind: str = UNKNOWN
    writers: tuple[Writer, ...] = ()

    @property
    def catalog(self) -> bool:
        return self.kind == CATALOG

    @property
    def drivers(self) -> tuple[Writer, ...]:
        """The inserts that make it grow (request inserts, else job inserts)."""
        want = "request" if self.kind == GROWS else "job" if self.kind == GROWS_WITH_TIME else ""
        return tuple(w for w in self.writers if w.kind == want)

    def sentence(self) -> str:
        """One sentence for a finding's message ("" when unknown)."""
        name = f"`{self.name}`"
        if self.kind == GROWS:
            routes: dict[str, Route] = {}
            for w in self.drivers:
                for r in w.routes:
                    routes.setdefault(r.display, r)
            ordered = sorted(routes.values(), key=lambda r: _METHOD_RANK.get(r.method, 5))
            shown = [r.display for r in ordered[:2]]
            more = len(ordered) - len(shown)
            text = " and ".join(shown) + (f" and {more} more" if more > 0 else "")
            return f"{name} grows with every {text} (insert at {self.drivers[0].where})."
        if self.kind == GROWS_WITH_TIME:
            return f"{name} grows with time: a background job inserts into it ({self.drivers[0].where})."
        if self.kind == CATALOG:
            writers = _writers_text(self.writers)
            return f"{name} is written only by {writers}: a catalog table, small by construction."
        return ""


# the routes named as growth drivers: creating ones first
_METHOD_RANK = {"POST": 0, "MUTATION": 0, "PUT": 1, "PATCH": 2, "ANY": 3, "GET": 4, "DELETE": 5}


def _writers_text(writers: Sequence[Writer]) -> str:
    """``the seed script prisma/seed.ts and an admin route (POST /admin/plans)``."""
    files: dict[str, list[str]] = {}
    admin: dict[str, None] = {}
    for w in writers:
        if w.kind == "tooling":
            files.setdefault(w.role, [])
            if w.loc.file not in files[w.role]:
                files[w.role].append(w.loc.file)
        elif w.kind == "admin":
            admin.update(dict.fromkeys(r.display for r in w.routes))
    parts = [
        f"the {role}{'s' if len(paths) > 1 else ''} {', '.join(paths[:2])}"
        + (f" and {len(paths) - 2} more" if len(paths) > 2 else "")
        for role, paths in files.items()
    ]
    if admin:
        shown = list(admin)[:2]
        rest = f" and {len(admin) - 2} more" if len(admin) > 2 else ""
        parts.append(f"{'an admin route' if len(admin) == 1 else 'admin routes'} ({', '.join(shown)}{rest})")
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


@dataclass
class Growth:
    """Growth of every table the code inserts into, looked up by model or table name."""

    tables: dict[str, TableGrowth] = field(default_factory=dict)
    # ``service root + NUL + lower-cased name`` -> key of ``tables``: a sibling service's
    # table of the same name is another table
    aliases: dict[str, str] = field(default_factory=dict)
    find_tables: Callable[[str, DataAccess | None], Sequence[Table]] = lambda _name, _near: ()
    root_of: Callable[[str], str] = lambda _path: ""

    def of(self, model_or_table: str | None, near: DataAccess | None = None) -> TableGrowth:
        """The growth of the table a query names (``Order``, ``orders``, ``order``): through
        the names the inserts used, else through the schema's table and model names. With
        ``near`` (the query), only inserts of that query's service count."""
        if not model_or_table:
            return TableGrowth("?")
        tables = self.find_tables(model_or_table, near)
        names = [model_or_table.lower()]
        names += sorted({n.lower() for t in tables for n in (t.name, t.model) if n})
        scope = schema_scope(tables)
        roots = (
            [scope or self.root_of(near.loc.file)]
            if near is not None
            else sorted({a.split("\0", 1)[0] for a in self.aliases})
        )
        for root in roots:
            for name in names:
                key = self.aliases.get(f"{root}\0{name}")
                if key is not None:
                    return self.tables[key]
        return TableGrowth(model_or_table)


def schema_scope(tables: Sequence[Table]) -> str:
    """The schema a query's tables come from (its first declaring file), ``""`` without one:
    inserts and reads that resolve to the same declarations are the same table, whichever
    package of the repository runs them."""
    return "schema:" + min(t.loc.file for t in tables) if tables else ""


def is_admin_route(route: Route, decorators: Sequence[str] = ()) -> bool:
    """An admin-only route: an ``admin`` path segment (a key of a tRPC path: ``admin.users.list``),
    or a guard/middleware/decorator naming admins, staff or moderators (``adminProcedure``)."""
    path = route.path.replace(".", "/") if route.framework == "trpc" else route.path
    if _ADMIN_SEGMENT.search(path):
        return True
    return any(_ADMIN_GUARD.search(x) for x in (*route.middleware, *decorators))


def _decorator_names(fn: Function) -> set[str]:
    """``app.task(bind=True)`` -> ``task``; ``Cron('0 * * * *')`` -> ``cron``."""
    return {d.split("(", 1)[0].strip().rsplit(".", 1)[-1].lower() for d in fn.decorators}


def _job_roots(model: ProjectModel, reached: Callable[[str], bool]) -> list[str]:
    """Functions that start background work: decorated as tasks/actors/scheduled/processors,
    or any function not reached by a route in a file that imports a queue or scheduler."""
    job_files = {i.loc.file for i in model.all(Import) if _JOB_MODULES.match(i.module)}
    roots: list[str] = []
    for fn in model.all(Function):
        names = _decorator_names(fn)
        if names & _JOB_DECORATORS or (fn.loc.file in job_files and not reached(fn.id)):
            roots.append(fn.id)
    return roots


def job_reach(model: ProjectModel) -> frozenset[str]:
    """The functions background work runs: the job roots (:func:`_job_roots`) and what they
    call within ``MAX_CALL_DEPTH`` calls."""
    from scalescope.model.project import MAX_CALL_DEPTH

    route_reach = model.route_reach
    return frozenset(_reach(model, _job_roots(model, lambda fid: fid in route_reach), MAX_CALL_DEPTH))


def _reach(model: ProjectModel, roots: Iterable[str], depth: int) -> set[str]:
    seen = set(roots)
    frontier = list(seen)
    for _ in range(depth):
        nxt: list[str] = []
        for fid in frontier:
            for callee in model._callees_of(fid):
                if callee not in seen:
                    seen.add(callee)
                    nxt.append(callee)
        frontier = nxt
    return seen


def _enclosing_ids(model: ProjectModel, function_id: str | None) -> list[str]:
    out: list[str] = []
    current = model.functions.get(function_id) if function_id else None
    while current is not None:
        out.append(current.id)
        current = model.enclosing_function(current.id)
    return out


def _writer(
    model: ProjectModel, access: DataAccess, jobs: frozenset[str], role_of: Callable[[str], str | None]
) -> Writer:
    routes = model.routes_reaching(access.function_id)
    certain = access.operation.lower() not in _MAYBE_INSERT
    if routes:
        user = []
        for r in routes:
            if not model.is_admin_route(r):
                user.append(r)
        if user:
            return Writer(access.loc, "request" if certain else "unknown", tuple(user))
        return Writer(access.loc, "admin", routes)
    role = role_of(access.loc.file)
    chain = _enclosing_ids(model, access.function_id)
    if role is None and any(_decorator_names(model.functions[f]) & _CLI_DECORATORS for f in chain):
        role = "CLI script"
    if role is not None:
        return Writer(access.loc, "tooling", role=role)
    if any(f in jobs for f in chain):
        return Writer(access.loc, "job" if certain else "unknown")
    return Writer(access.loc, "unknown")


def _kind(writers: Sequence[Writer]) -> str:
    kinds = {w.kind for w in writers}
    if "request" in kinds:
        return GROWS
    if "job" in kinds:
        return GROWS_WITH_TIME
    if "unknown" in kinds or not kinds:
        return UNKNOWN
    if all(w.kind == "tooling" and w.role == "test" for w in writers):
        return UNKNOWN  # inserted only by tests: nothing known about production
    return CATALOG


def model_role(model: ProjectModel) -> Callable[[str], str | None]:
    """A writer's role from the model's one definition of file roles
    (:meth:`ProjectModel.role`): ``None`` for production code."""

    def role_of(path: str) -> str | None:
        role = model.role(path)
        if role.kind in {"production", "unimported"}:
            return None
        if role.kind == "tooling":
            return "seed script" if "seed" in role.reason else "CLI script"
        return {"test": "test", "migration": "migration", "dev-only": "development-only code"}[role.kind]

    return role_of


def classify_growth(model: ProjectModel, role_of: Callable[[str], str | None] | None = None) -> Growth:
    """Classify every table the code inserts into (one pass over the writes). Writers' roles
    come from the model (:func:`model_role`) unless ``role_of`` is given."""
    if role_of is None:
        role_of = model_role(model)

    jobs = model.job_reach
    by_table: dict[str, list[Writer]] = defaultdict(list)
    names: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for access in model.all(DataAccess):
        if access.kind not in {"write", "raw"} or access.operation.lower() not in INSERT_OPERATIONS:
            continue
        if not access.model:
            continue
        tables = model.find_tables(access.model, near=access)
        # a table belongs to the schema that declares it: the code of every package that reaches
        # that schema (an API, an admin app, a worker of one monorepo) shares it; with no
        # schema in the repository, the inserting package's own name is all there is
        root = schema_scope(tables) or model.package_root(access.loc.file)
        name = min(t.name.lower() for t in tables) if tables else access.model.lower()
        key = f"{root}\0{name}"
        names.setdefault(key, min(t.name for t in tables) if tables else access.model)
        for alias in {
            access.model.lower(),
            *(t.name.lower() for t in tables),
            *(t.model.lower() for t in tables),
        }:
            if alias:
                aliases.setdefault(f"{root}\0{alias}", key)
        by_table[key].append(_writer(model, access, jobs, role_of))
    growth = Growth(
        aliases=aliases,
        find_tables=lambda name, near: model.find_tables(name, near=near),
        root_of=model.package_root,
    )
    for key, writers in by_table.items():
        ordered = tuple(sorted(writers, key=lambda w: (w.loc.file, w.loc.line)))
        growth.tables[key] = TableGrowth(names[key], _kind(ordered), ordered)
    return growth
