"""What SC-DB-015 knows about each table the code inserts into: who inserts (the growth
drivers), whether anything removes rows (deletes anywhere, TTL, partitioning, cascades from a
deleted parent), and how the rows are used (updated, read back by key, read at all). Reads
neutral facts and the project model only.

Knowledge as data: the words that name per-event tables and the column names of an expiry,
below. A table is matched to the names code uses for it (model, table, singular/plural)
through :attr:`Growth.aliases` and the schema.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from scalescope.model.facts import DataAccess, Retention, Route, Table
from scalescope.model.growth import GROWS, GROWS_WITH_TIME, TableGrowth
from scalescope.model.hooks import RequestHook
from scalescope.model.project import ProjectModel
from scalescope.scan.rules.database._helpers import inside_function, is_read, unique_filter


def _vocabulary(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: inserts that add one row per call (an upsert, ``get_or_create`` or ``save`` adds at most one
#: row per key, or updates)
PURE_INSERTS = _vocabulary(
    "create createmany createmanyandreturn insert insertmany insertone insert_one insert_many "
    "bulkcreate bulk_create add add_all"
)
#: raw statements and ORM operations that remove rows
_REMOVING_RAW = frozenset({"delete", "truncate"})
_READ_ROUTE = frozenset({"GET", "QUERY"})

#: words naming tables whose rows are records of events, kept by nobody for their own sake
LOG_WORDS = _vocabulary(
    "log logs logging audit audits auditlog telemetry analytics tracking pageview pageviews "
    "impression impressions click clicks heartbeat heartbeats trace traces cache cached"
)
#: words naming tables that are often per-event (but also name user content: a calendar's
#: events, a job board's jobs): reported only with more evidence
EVENT_WORDS = _vocabulary(
    "event events activity activities history histories notification notifications session sessions "
    "token tokens otp otps nonce nonces attempt attempts job jobs run runs execution executions "
    "delivery deliveries snapshot snapshots metric metrics stat stats view views visit visits request "
    "requests feed feeds timeline outbox reset resets verification verifications invite invites "
    "invitation invitations challenge challenges"
)
#: route path segments (and their words) of endpoints called once per event, not once per
#: change of a resource: tracking and analytics collectors, log and event ingestion, logins and
#: token refreshes, received webhooks, heartbeats
PER_EVENT_PATHS = _vocabulary(
    "track tracking collect event events log logs beacon pixel ping heartbeat webhook webhooks hook "
    "hooks ingest analytics metrics telemetry impression impressions click clicks view views visit "
    "visits login signin auth token refresh otp verify session sessions search"
)
_PATH_WORD = re.compile(r"[/_.\-]+|(?<=[a-z])(?=[A-Z])")


def per_event_path(path: str) -> bool:
    """A route path with a word of :data:`PER_EVENT_PATHS` (``/api/track``, ``/auth/login``,
    ``/pageViews``)."""
    return bool(PER_EVENT_PATHS & {w.lower() for w in _PATH_WORD.split(path) if w})


#: column names (lower-case, without ``_``) of a row's expiry time
EXPIRY_COLUMNS = _vocabulary(
    "expires expiresat expireat expiry expirydate expiration expirationdate expirestime expireson "
    "validuntil ttl"
)
_CREATED = re.compile(
    r"^(created(_?at|_?on|_?date|_?time)?|inserted_?at|timestamp|logged_?at|occurred_?at|at|ts)$", re.I
)
_TIMEISH = re.compile(r"(created|timestamp|_at$|[a-z]At$|date|time|^at$|^ts$)")
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def norm(name: str) -> str:
    """``"AuditLogs"`` / ``audit_logs`` / ``public.audit_log`` -> ``auditlog``."""
    base = name.rsplit(".", 1)[-1].strip('"`[]').lower().replace("_", "").replace("-", "")
    return base[:-1] if base.endswith("s") and len(base) > 3 else base


def words(name: str) -> set[str]:
    """``AuditLog`` -> {audit, log}; ``page_views`` -> {page, views, pageviews}."""
    parts = [w.lower() for chunk in re.split(r"[\W_]+", name) for w in _WORD.findall(chunk)]
    joined = {a + b for a, b in itertools.pairwise(parts)}
    return set(parts) | joined


@dataclass(frozen=True, slots=True)
class Driver:
    """One insert that makes the table grow, and what runs it: ``hook`` (every request),
    ``read`` (a GET route's own handler), ``route`` or ``job``."""

    access: DataAccess
    kind: str
    text: str
    routes: tuple[Route, ...] = ()

    @property
    def per_item(self) -> bool:
        """One row per item of a loop (or a bulk insert): many rows per run."""
        return self.access.bulk or (self.access.loop is not None and self.access.loop.uses_item is not False)

    @property
    def per_event(self) -> bool:
        """The insert runs at the rate of traffic or events: on every request (a hook), on a
        read (``GET``), on an endpoint named for high-frequency calls (tracking, logging,
        logins, tokens, webhooks: :data:`PER_EVENT_PATHS`), or once per item of a job's loop."""
        if self.kind in {"hook", "read"}:
            return True
        if self.kind == "job":
            return self.per_item
        return any(per_event_path(r.path) for r in self.routes)


@dataclass
class TableUse:
    """A growing table and how the code uses it."""

    key: str
    name: str
    growth: TableGrowth
    names: set[str] = field(default_factory=set)
    drivers: list[Driver] = field(default_factory=list)
    reads: list[DataAccess] = field(default_factory=list)
    updates: list[DataAccess] = field(default_factory=list)
    by_key: list[DataAccess] = field(default_factory=list)
    schema: list[Table] = field(default_factory=list)
    retained: bool = False

    # ------------------------------------------------------------------ evidence

    @property
    def label(self) -> str:
        """```RequestLog``` or ```RequestAudit`` (table ``tracker_requestaudit``)``."""
        models = sorted({t.model for t in self.schema if t.model and t.model != self.name})
        return f"`{models[0]}` (table `{self.name}`)" if models else f"`{self.name}`"

    @property
    def name_words(self) -> set[str]:
        out: set[str] = set()
        for n in {self.name, *(t.name for t in self.schema), *(t.model for t in self.schema)}:
            if n:
                out |= words(n)
        return out

    @property
    def expiry_column(self) -> str:
        for table in self.schema:
            for col in table.columns:
                if col.name.lower().replace("_", "") in EXPIRY_COLUMNS:
                    return col.name
        return ""

    @property
    def created_column(self) -> str:
        for table in self.schema:
            for col in table.columns:
                if _CREATED.match(col.name):
                    return col.name
        return ""

    @property
    def append_only(self) -> bool:
        """Never updated and never read back by its own key."""
        return not self.updates and not self.by_key

    @property
    def recent_first(self) -> bool:
        """Every read filters by a time range or sorts by a time column (a log, a feed)."""
        return bool(self.reads) and all(
            any(_TIMEISH.search(c) for c in (*a.range_fields, *a.sort_fields)) for a in self.reads
        )

    def verdict(self) -> tuple[str, str] | None:
        """``(confidence, why the rows are per-event)`` or ``None`` when the table is ordinary
        data that grows with its users.

        Medium needs two things: rows that lose value with age (a log, an append-only or
        never-read event table, rows that expire) and a driver whose rate is per event rather
        than per change of some resource (:attr:`Driver.per_event`): an audit row per edit of
        a mock server grows with the edits, a few rows a day; a row per request, per GET, per
        login or per received webhook grows with the traffic."""
        found = self.name_words
        log = sorted(found & LOG_WORDS)
        event = sorted(found & EVENT_WORDS)
        expiry = self.expiry_column
        hook = any(d.kind == "hook" for d in self.drivers)
        read = any(d.kind == "read" for d in self.drivers)
        per_event = any(d.per_event for d in self.drivers)
        evidence: list[str] = []
        if log or event:
            evidence.append(f"its name marks per-event rows (`{(log or event)[0]}`)")
        if expiry:
            evidence.append(f"its rows carry an expiry (`{expiry}`) that nothing enforces")
        if not self.reads:
            evidence.append("the application never reads it (a write-only log)")
        elif self.append_only:
            evidence.append("its rows are never updated or read back by their key")
            if self.recent_first:
                evidence[-1] += ", only by time"
        if hook:
            evidence.append("it is written on every request")
        elif read:
            evidence.append("read-only (GET) requests write it")
        why = "; ".join(evidence)
        aging = self.append_only or not self.reads
        if log:
            return ("medium" if per_event and aging else "low"), why
        if event:
            if not (aging or hook or read or expiry):
                return None
            return ("medium" if per_event and (aging or expiry) else "low"), why
        if (hook or read) and aging:
            # an unnamed table: a middleware's insert is per request; a GET handler's may be an
            # action behind a link (an unsubscribe, a callback)
            return ("medium" if hook else "low"), why
        return None


# ---------------------------------------------------------------------- building the uses


def _removed_names(model: ProjectModel) -> dict[str, set[str]]:
    """Normalised name of every table something deletes from, TTLs, caps or partitions ->
    the files that do it, with the tables an ``ON DELETE CASCADE`` empties along with a
    removed parent (under the files that remove the parent)."""
    removed: dict[str, set[str]] = defaultdict(set)
    for access in model.all(DataAccess):
        op = access.operation.lower()
        deletes = access.kind == "delete" or (access.kind == "raw" and op in _REMOVING_RAW)
        if deletes and access.model and model.role(access.loc.file).kind != "test":
            for name in _names_of(model, access.model):
                removed[name].add(access.loc.file)
    for ret in model.all(Retention):
        if ret.table:
            for name in _names_of(model, ret.table):
                removed[name].add(ret.loc.file)
    # cascades: a child row goes when its parent row goes
    edges: list[tuple[str, set[str], set[str]]] = []
    for table in model.all(Table):
        parents = {
            col.references.split(".", 1)[0]
            for col in table.columns
            if col.on_delete == "cascade" and col.references
        }
        if parents:
            child = {norm(n) for n in (table.name, table.model) if n}
            edges.append((table.loc.file, child, set().union(*(_names_of(model, p) for p in parents))))
    services = model.services
    changed = True
    while changed:
        changed = False
        for where, child, parents in edges:
            files = {f for p in parents for f in removed.get(p, ()) if services.related(where, f)}
            for name in child:
                if files - removed[name]:
                    removed[name] |= files
                    changed = True
    return removed


def _names_of(model: ProjectModel, name: str) -> set[str]:
    out = {norm(name)}
    for table in model.find_tables(name):
        out |= {norm(n) for n in (table.name, table.model) if n}
    return out


def _unnamed_ttl_files(model: ProjectModel) -> set[str]:
    """Files that create a TTL index or capped collection on a collection the code does not
    name (``this.collection.createIndex(...)``)."""
    return {r.loc.file for r in model.all(Retention) if not r.table}


def _driver(model: ProjectModel, access: DataAccess, job: bool) -> Driver | None:
    """What makes ``access`` insert, in words: ``one row per GET /posts/:id request``."""
    hook: RequestHook | None = model.hook_reaching(access.function_id)
    unit = "one row"
    if access.loop is not None and not access.bulk and access.loop.uses_item is not False:
        unit = f"one row per item of the loop at line {access.loop.line}, repeated"
    elif access.bulk:
        unit = "a batch of rows"
    miss = " on each cache miss of" if access.in_cache_loader else ""
    if hook is not None:
        return Driver(access, "hook", f"{unit} per request, inserted by {hook.describe()}")
    routes = tuple(r for r in model.routes_reaching(access.function_id) if not model.is_admin_route(r))
    if routes:
        for route in (r for r in routes if r.method in _READ_ROUTE):
            handler = model.resolve_handler(route)
            if (
                handler is not None
                and access.function_id is not None
                and inside_function(model, access.function_id, handler.id)
                and not access.conditional
            ):
                return Driver(access, "read", f"{unit} per{miss} {_route_text(route)} request", routes)
        shown = ", ".join(_route_text(r) for r in _by_method(routes)[:2])
        more = f" and {len(routes) - 2} more routes" if len(routes) > 2 else ""
        return Driver(access, "route", f"{unit} per{miss} call of {shown}{more}", routes)
    if job:
        fn = model.functions.get(access.function_id or "")
        named = fn is not None and fn.name and fn.name != "<anonymous>"
        name = f"`{fn.name}`" if fn is not None and named else "a background job"
        where = f"{access.loc.file}:{access.loc.line}"
        return Driver(access, "job", f"{unit} per run of {name} ({where})")
    return None


def _route_text(route: Route) -> str:
    """``GET /posts/:id``; a route of any method (a Django view) is its path."""
    return route.path if route.method == "ANY" else route.display


_METHOD_RANK = {"GET": 0, "QUERY": 0, "POST": 1, "MUTATION": 1, "PUT": 2, "PATCH": 3, "ANY": 4}


def _by_method(routes: Iterable[Route]) -> list[Route]:
    unique = {r.display: r for r in routes}
    return sorted(unique.values(), key=lambda r: (_METHOD_RANK.get(r.method, 5), r.display))


def table_uses(model: ProjectModel) -> list[TableUse]:
    """Every table with an insert that grows it per request or per job run, with its uses."""
    growth = model.growth
    removed = _removed_names(model)
    unnamed_ttl = _unnamed_ttl_files(model)
    uses: dict[str, TableUse] = {}
    by_growth: dict[int, TableUse] = {}
    for key, tg in growth.tables.items():
        use = TableUse(key, tg.name, tg)
        aliases = {norm(a.split("\0", 1)[1]) for a, k in growth.aliases.items() if k == key}
        use.names = aliases | {norm(tg.name)}
        uses[key] = use
        by_growth[id(tg)] = use
    job_writes = {
        (w.loc.file, w.loc.line)
        for tg in growth.tables.values()
        if tg.kind in {GROWS, GROWS_WITH_TIME}
        for w in tg.writers
        if w.kind == "job"
    }
    for access in model.all(DataAccess):
        if not access.model:
            continue
        found = by_growth.get(id(growth.of(access.model, near=access)))
        if found is None or model.role(access.loc.file).kind == "test":
            continue  # tests read and update rows as no user does (their deletes are not counted either)
        op = access.operation.lower()
        if is_read(access):
            found.reads.append(access)
            if access.kind == "read-one" and unique_filter(model, access):
                found.by_key.append(access)
        elif access.kind == "write" or (access.kind == "raw" and op in {"insert", "upsert", "update"}):
            if op not in PURE_INSERTS:
                found.updates.append(access)
            elif model.role(access.loc.file).reportable:
                driver = _driver(model, access, (access.loc.file, access.loc.line) in job_writes)
                if driver is not None:
                    found.drivers.append(driver)
    out: list[TableUse] = []
    for use in uses.values():
        if not use.drivers:
            continue
        names = {use.name, *(d.access.model or "" for d in use.drivers)}
        use.schema = list({id(t): t for n in sorted(names) for t in model.find_tables(n)}.values())
        use.retained = any(
            model.services.related(d.access.loc.file, where)
            for d in use.drivers
            for name in use.names
            for where in removed.get(name, ())
        ) or any(d.access.loc.file in unnamed_ttl for d in use.drivers)
        use.drivers.sort(key=lambda d: ({"hook": 0, "read": 1, "route": 2, "job": 3}[d.kind], d.access.loc))
        out.append(use)
    return out
