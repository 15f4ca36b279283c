"""Shared logic of the connection-pool and query-timeout rules: which clients count, what
their URL (seen through ``.env`` / compose / k8s EnvVar facts) adds, library defaults and the
fix snippet per library."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scalescope.model.facts import (
    ClassDecl,
    DataAccess,
    DbClient,
    DbSetting,
    EntryPoint,
    EnvVar,
    Import,
    Loc,
    LockedVersion,
    PlatformBinding,
    Route,
    Service,
    StackItem,
    Table,
    option,
)
from scalescope.model.project import MAX_CALL_DEPTH, ProjectModel
from scalescope.model.roles import STAR_IMPORT_LINE, is_test_path
from scalescope.model.run_scripts import build_contexts, scripts_run_by
from scalescope.model.services import under
from scalescope.scan.extract.infra.dburl import (
    STATEMENT_TIMEOUTS,
    is_pooler_url,
    is_sqlite_url,
    mentions_statement_timeout,
    url_params,
)

PG_MAX_CONNECTIONS = 100
_MYSQL = ("mysql", "mariadb", "aurora-mysql")
_OTHER_DB = (
    "sqlite",
    "mssql",
    "oracle",
    "sap",
    "spanner",
    "sqljs",
    "capacitor",
    "cordova",
    "expo",
    "react-native",
    "nativescript",
    "mongodb",
    "better-sqlite3",
)


def opaque(client: DbClient) -> bool:
    """The options come from somewhere the scanner cannot see (a spread or a variable)."""
    return any(key == "..." for key, _ in client.options)


def query_builder_only(client: DbClient) -> bool:
    """A Knex instance built with a client dialect and no ``connection`` (``knex({ client:
    'pg' })``): a SQL string builder, which opens no connection and keeps no pool; the queries
    it writes run on another client."""
    return (
        client.library == "knex"
        and bool(client.options)
        and not opaque(client)
        and option(client.options, "connection") is None
        and client.url_env is None
    )


def dialect(client: DbClient) -> str:
    """postgres | mysql | mongo | other | unknown."""
    lib = client.library
    if any(key.endswith("check_same_thread") for key, _ in client.options):
        return "other"  # ``connect_args={"check_same_thread": False}``: sqlite3's own connect option
    if lib in {"pg", "postgres-js", "asyncpg", "psycopg", "psycopg2", "neon", "supabase", "drizzle"}:
        return "postgres"
    if lib == "mysql2":
        return "mysql"
    if lib in {"mongoose", "mongodb"}:
        return "mongo"
    raw = (
        (option(client.options, "type", "dialect", "client", "ENGINE", "provider") or "")
        .strip("'\"` ")
        .lower()
    )
    if not raw:
        return "unknown"
    if any(x in raw for x in ("postgres", "postgis", "cockroach", "redshift", "pgnative")) or raw == "pg":
        return "postgres"
    if any(raw.startswith(x) or x in raw for x in _MYSQL):
        return "mysql"
    if any(x in raw for x in _OTHER_DB):
        return "other"
    return "unknown"


@dataclass(frozen=True, slots=True)
class Resolved:
    """A client plus what its connection URL adds."""

    client: DbClient
    url_env: str | None
    env_values: tuple[str, ...]
    pool_params: tuple[str, ...]
    timeout_params: tuple[str, ...]
    pooler: bool

    @property
    def env_visible(self) -> bool:
        return bool(self.env_values)


def _datasource_for(model: ProjectModel, client: DbClient) -> DbClient | None:
    sources = [c for c in model.all(DbClient) if c.kind == "datasource" and c.library == client.library]
    if not sources:
        return None

    # the schema closest to the client file (longest common directory prefix)
    def score(ds: DbClient) -> tuple[int, int]:
        a, b = ds.loc.file.split("/"), client.loc.file.split("/")
        n = 0
        while n < min(len(a), len(b)) - 1 and a[n] == b[n]:
            n += 1
        return n, -len(a)  # on a tie, the schema of the enclosing project, not a nested one

    return max(sources, key=score)


def pool_cause(model: ProjectModel, client: DbClient) -> Loc | None:
    """What one fix changes for this client's pool/timeout: the Prisma ``datasource`` block (or
    the Flask-SQLAlchemy app config) it reads its URL and options from, shared by every client
    built on it; ``None`` when the client is configured where it is constructed."""
    if (client.library == "prisma" and client.url_env is None) or (
        client.library == "sqlalchemy"
        and client.kind != "datasource"
        and option(client.options, "config") == "flask"
    ):
        ds = _datasource_for(model, client)
        return ds.loc if ds is not None else None
    return _first_alternative(model, client)


def _first_alternative(model: ProjectModel, client: DbClient) -> Loc | None:
    """The first of the constructions that are alternatives of one client: the same library
    built in the same function (``try: create_engine(url, pool_size=n) except TypeError:
    create_engine(url)``, one engine per branch of an ``if``), or the same Django database alias
    in both branches of a settings module's ``if``. ``None`` when the client has none."""
    if client.function_id is None and client.kind != "settings":
        return None
    alias = option(client.options, "alias")
    lines = model.source_lines(client.loc.file)

    def bound(loc: Loc) -> str:
        # the name the construction is assigned to (``engine = create_engine(...)``)
        text = lines[loc.line - 1] if 0 < loc.line <= len(lines) else ""
        m = re.match(r"\s*(?:(?:const|let|var)\s+)?([\w.$]+)\s*(?::[^=]+)?=(?!=)", text)
        return m.group(1) if m else ""

    name = bound(client.loc)
    same = [
        other.loc
        for other in model.all(DbClient)
        if other.library == client.library
        and other.kind == client.kind
        and other.loc.file == client.loc.file
        and (
            other.function_id == client.function_id and bool(name) and bound(other.loc) == name
            if client.function_id is not None
            else other.function_id is None and option(other.options, "alias") == alias
        )
    ]
    return min(same) if len(same) > 1 else None


def replaced_later(model: ProjectModel, client: DbClient) -> str:
    """What may replace a Django ``DATABASES`` entry after it is set, as a reader would name
    it, or ``""``: a later ``from .local_settings import *`` in the same module, or a settings
    file that django-split-settings includes after this one and that assigns ``DATABASES``
    too (``include('core.py', 'heroku.py')``: ``core.py``'s entry is a base every
    environment's file replaces)."""
    if client.library != "django" or client.kind != "settings":
        return ""
    later = option(client.options, "replaced_by")
    star = re.search(r"from\s+([\w.]+)\s+import\s+\*", later or "")
    if later and not (
        star and model.star_import_assigns(client.loc.file, star.group(1), "DATABASES") is False
    ):
        # a module in the repository that assigns no DATABASES (constants, logging) replaces nothing
        return later
    other = model.settings_replaced_later(client.loc.file, "DATABASES")
    return f"{other} (included after it by django-split-settings)" if other else ""


_WHOLE_DATABASES = re.compile(r"^DATABASES\s*=")


def library_only(model: ProjectModel, client: DbClient) -> str:
    """The published library package (package.json with ``publishConfig``, or ``files`` and not
    ``private``; one that registers routes or has a production start script is an application)
    whose class or function builds ``client``, when no code of the repository
    outside that package names it (``PostgresConnector`` exported by ``@acme/connectors`` and
    used by none of the apps beside it): the library's users build that client and configure
    it, not this repository's deployment. ``""`` otherwise."""
    if client.function_id is None:
        return ""
    services = model.services
    root = services.package_root(client.loc.file)
    if not root:
        return ""
    manifest = services.manifest(root)
    published = "publishConfig" in manifest or ("files" in manifest and manifest.get("private") is not True)
    name = manifest.get("name")
    if not published or not isinstance(name, str):
        return ""
    if root in services.service_roots or any(p.startswith(root + "/") for p in model.route_files):
        return ""  # the package runs something of its own (routes, a start script): an application
    qualified = client.function_id.split("::", 1)[-1].split("@", 1)[0]
    owner = qualified.split(".", 1)[0]  # the class of a method, else the function itself
    if not owner or owner.startswith("<"):
        return ""
    word = re.compile(rf"(?<![\w$]){re.escape(owner)}(?![\w$])")
    for f in model.files:
        if f.path.startswith(root + "/") or f.language not in {"javascript", "typescript", "tsx", "python"}:
            continue
        if not model.role(f.path).production:
            continue
        if any(word.search(line) for line in model.source_lines(f.path)):
            return ""
    return (
        f"`{owner}` belongs to the published library {name}, which no code of this repository outside it uses"
    )


#: languages where code may name a database alias (a query's ``using("old")``, a router, a
#: ``manage.py migrate --database old`` in a script or a Procfile)
_ALIAS_LANGUAGES = frozenset({"python", "shell", "procfile", "dockerfile", "yaml"})


#: writes of one object (``session.add(obj)``, ``repo.save(entity)``, ``create({...})``):
#: statements that touch the row they name
_ONE_ROW_WRITES = frozenset(
    {"add", "save", "create", "insert", "insertone", "insert_one", "merge", "persist", "upsert", "build"}
)
#: libraries whose every query the code writes out (an ORM without framework-generated
#: queries such as Django's admin and generic views, or a driver's SQL)
_EXPLICIT_ORMS = frozenset({"sqlalchemy", "prisma", "typeorm", "sequelize", "drizzle", "knex", "mongoose"})


def single_row_queries(model: ProjectModel, client: DbClient) -> int:
    """How many queries the code runs through ``client``'s ORM in its package, when there are
    at least three and every one reads or writes a single row: a ``get``/``first`` by equality
    with no sort, an ``add``/``save``/``create`` of one object, a delete of one object or by
    ``id``. Nothing there can run long but a lock wait; a statement timeout guards little.
    ``0`` when any query reads many rows, counts, aggregates, searches, sorts, runs raw SQL or
    writes many rows, or the ORM is one whose queries a framework also writes (Django)."""
    if client.library not in _EXPLICIT_ORMS:
        return 0
    services = model.services
    root = services.package_root(client.loc.file)
    count = 0
    for access in model.all(DataAccess):
        if services.package_root(access.loc.file) != root or not model.role(access.loc.file).production:
            continue
        if access.orm != client.library:
            if access.kind == "raw":
                return 0  # SQL the code writes by hand on the same database
            continue
        op = access.operation.lower()
        if access.kind == "read-one":
            ok = not access.sort_fields and not access.range_fields and not access.unselective_fields
        elif access.kind == "write":
            ok = op in _ONE_ROW_WRITES and not access.bulk
        elif access.kind == "delete":
            ok = not access.bulk and set(access.filter_fields) <= {"id", "pk"}
        else:
            ok = False
        if not ok or access.loop is not None:
            return 0
        count += 1
    return count if count >= 3 else 0


def django_without_models(model: ProjectModel, client: DbClient) -> bool:
    """Whether the Django project of a ``DATABASES`` entry keeps no data of its own: no Django
    model in its package, none in another package of the repository that its code imports or
    its settings folder names in quotes (``INSTALLED_APPS``), no SQL written by hand and no ORM
    query but single-row ones in its package. Such a project (a front end that keeps its data
    behind another service's API) uses its database for Django's built-in tables (sessions,
    users) read and written by key: no query there runs long but a lock wait."""
    if client.library != "django":
        return False
    services = model.services
    root = services.package_root(client.loc.file)
    if not root:
        return False  # the whole tree is the project: a model anywhere may be its own
    settings_text = "\n".join(
        line
        for f in model.files
        if f.path.rpartition("/")[0] == client.loc.file.rpartition("/")[0]
        for line in model.source_lines(f.path)
    )
    imported = {
        part
        for imp in model.all(Import)
        if services.package_root(imp.loc.file) == root and (imp.local or imp.name)
        # (a dotted string, ``"sats.view_afgiftstabel"``, is a permission name or a lazy
        # reference, recorded without a local name: not an import of that package)
        for part in imp.module.lstrip(".").split(".")
    }
    for table in model.all(Table):
        if table.source != "django":
            continue
        if under(root, table.loc.file):
            return False
        # the app: the folder that holds ``models.py`` or the ``models/`` package
        parts = table.loc.file.split("/")[:-1]
        if parts and parts[-1] == "models":
            parts = parts[:-1]
        app = parts[-1] if parts else ""
        if not app:
            return False
        if app in imported or re.search(
            rf"""["'](?:[\w.]+\.)?{re.escape(app)}(?:["']|\.apps\.)""", settings_text
        ):
            # ``"helpdesk"`` / ``"src.helpdesk"`` / ``"helpdesk.apps.HelpdeskConfig"`` in
            # INSTALLED_APPS, or code importing the app
            return False
    apps = _installed_apps(settings_text)
    if apps is None:
        return False  # what it installs is not shown
    folders = {part for f in model.files for part in f.path.split("/")[:-1]}
    for app in apps:
        head = app.split(".apps.", 1)[0]
        if head.startswith("django.contrib.") or _KEYED_APP.search(head):
            continue
        if head.rsplit(".", 1)[-1] in folders or (model.root / root / head.replace(".", "/")).is_dir():
            continue  # an app of the repository: its models were looked for above
        return False  # a library app that may keep data of its own (its tables unknown)
    for access in model.all(DataAccess):
        if not under(root, access.loc.file) or not model.role(access.loc.file).production:
            continue
        if access.kind == "raw" or access.kind not in ("read-one", "write", "delete") or access.bulk:
            return False
    return True


# ``INSTALLED_APPS = [...]``, ``INSTALLED_APPS += (...)``, ``THIRD_PARTY_APPS = [...]``
_APPS_LIST = re.compile(r"\b\w*APPS\s*\+?=\s*[\[(]([^\])]*)[\])]")
_QUOTED = re.compile(r"""["']([\w.]+)["']""")
#: reusable apps that keep no table or only rows read by key (a user's login, second factor,
#: social account), and front-end, security-header, API and health-check helpers
_KEYED_APP = re.compile(
    r"(?:^|[._])(?:auth\w*|\w*auth|login|oidc|saml\w*|sso|otp|two_factor|mfa|allauth|social_django|"
    r"captcha|csp\w*|corsheaders|\w*bootstrap\w*|\w*icons|compressor|webpack_loader|django_vite|"
    r"django_htmx|debug_toolbar|django_extensions|health_check|django_prometheus|tempus_dominus|"
    r"crispy_forms|crispy_\w+|widget_tweaks|storages|whitenoise|rest_framework|drf_spectacular|"
    r"django_filters|channels|daphne|formtools|phonenumber_field|django_countries|sass_processor)"
    r"(?:$|[._])"
)


def _installed_apps(settings_text: str) -> list[str] | None:
    """The apps the settings text installs (every quoted name in its ``INSTALLED_APPS`` and
    ``*_APPS`` lists), ``None`` when it holds no such list."""
    lists = _APPS_LIST.findall(settings_text)
    if not lists:
        return None
    return [m for body in lists for m in _QUOTED.findall(body)]


def catalog_reads(model: ProjectModel, client: DbClient) -> str:
    """The tables, by name, when every query the code runs through ``client``'s ORM in its
    package (its production code) only reads, and reads tables only seeds, migrations or admin
    routes write (catalog tables, small by construction: :mod:`scalescope.model.growth`): a
    read of a few hundred rows finishes fast, and no write of the application's takes locks a
    read would wait on. ``""`` when any query writes, runs raw SQL, reads a table that grows or
    whose growth is unknown, or the ORM is one whose queries a framework also writes (Django)."""
    if client.library not in _EXPLICIT_ORMS:
        return ""
    services = model.services
    root = services.package_root(client.loc.file)
    tables: dict[str, None] = {}
    for access in model.all(DataAccess):
        if services.package_root(access.loc.file) != root or not model.role(access.loc.file).production:
            continue
        if access.orm != client.library:
            if access.kind == "raw":
                return ""
            continue
        if access.kind not in {"read-one", "read-many", "count", "aggregate"} or not access.model:
            return ""
        if not model.growth.of(access.model, access).catalog:
            return ""
        tables.setdefault(access.model, None)
    return ", ".join(f"`{t}`" for t in tables)


def url_schemes(values: tuple[str, ...]) -> set[str]:
    """The schemes of the URL values among ``values`` (``postgresql+psycopg://`` -> ``postgresql``)."""
    return {v.split("://", 1)[0].split("+", 1)[0].lower() for v in values if "://" in v}


def sqlite_alternative(model: ProjectModel, res: Resolved) -> int:
    """The line of a SQLite ``DATABASES`` entry for the same alias in another branch of the
    same ``if`` (``if not url: {... sqlite3 ...} else: dj_database_url.parse(url)``), when no
    URL value in the deployment files is a PostgreSQL one: which branch runs is set outside
    the repository, and the SQLite one needs nothing set. ``0`` otherwise."""
    line = option(res.client.options, "sqlite_branch")
    if not line or not line.isdigit():
        return 0
    return 0 if url_schemes(res.env_values) & {"postgres", "postgresql", "pgsql", "postgis"} else int(line)


def unused_alias(model: ProjectModel, client: DbClient) -> str:
    """For a Django ``DATABASES`` entry other than ``default``, its alias when no production
    file names it anywhere but as a ``DATABASES`` key: no ``using("old")``, ``db_manager``,
    ``connections["old"]``, router returning it, replica list or ``--database old``. Django
    opens a connection to an alias only when something uses it, so such an entry opens none.
    ``""`` when the alias is ``default`` or some production file names it."""
    alias = option(client.options, "alias")
    if client.library != "django" or not alias or alias.strip("'\"") in ("", "default"):
        return ""
    name = alias.strip("'\"")
    mention = re.compile(rf"""(["']){re.escape(name)}\1|--database[=\s]+{re.escape(name)}\b""")
    definition = re.compile(
        rf"""^\s*(["']){re.escape(name)}\1\s*:|DATABASES\s*\[\s*(["']){re.escape(name)}\2\s*\]"""
    )
    for f in model.files:
        if f.language not in _ALIAS_LANGUAGES or not model.role(f.path).production:
            continue
        for line in model.source_lines(f.path):
            if mention.search(line) and not definition.search(line):
                return ""
    return name


def replaced_by_importers(model: ProjectModel, client: DbClient) -> str:
    """The settings modules that star-import the module of a Django ``DATABASES`` entry and
    each assign a whole ``DATABASES`` of their own after that import (``deployed.py``'s
    entry, replaced in ``prod.py``, ``staging.py`` and ``review.py``), as a list; ``""`` when a
    deployment selects the module itself, nothing imports it, or one importer keeps its
    entry. The importers' own entries are what runs (and are reported where they are)."""
    if client.library != "django" or client.kind != "settings":
        return ""
    roles = model.roles
    if roles.selected(client.loc.file):
        return ""
    importers = roles.settings_importers(client.loc.file)
    if not importers:
        return ""
    # the module the WSGI/ASGI entry defaults to (``os.environ.setdefault(
    # "DJANGO_SETTINGS_MODULE", "proj.settings.base_lambda")``) is what the server runs: when it
    # replaces the entry, the other importers (the package ``__init__`` manage.py loads, the
    # tests') do not make it production's
    served = served_settings(model)
    if client.loc.file not in served:
        replaced = [p for p in importers if p in served and _replaces_databases(model, p)]
        if replaced:
            return ", ".join(replaced)
    if all(_replaces_databases(model, path) for path in importers):
        return ", ".join(importers)
    return ""


def _replaces_databases(model: ProjectModel, path: str) -> bool:
    """The settings module ``path`` assigns a whole ``DATABASES`` after its star import."""
    lines = model.source_lines(path)
    star = next((i for i, line in enumerate(lines) if STAR_IMPORT_LINE.match(line)), None)
    return star is not None and any(_WHOLE_DATABASES.match(line) for line in lines[star + 1 :])


_SETTINGS_DEFAULT = re.compile(r"""setdefault\(\s*['"]DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)['"]""")


#: a production image putting a settings module in place of another (``RUN cp
#: /app/config/settings/settings_aws_ecs.py /app/config/settings/settings.py``, ``COPY
#: deploy/prod_settings.py app/settings.py``): the source module is what the image runs
_SETTINGS_COPY = re.compile(
    r"(?:\bcp|\bmv|\binstall|\bln|^\s*COPY|^\s*ADD)\b[^\n]*?\s(?:--?\S+\s+)*[\"']?(\S*?([\w.-]+\.py))[\"']?"
    r"\s+[\"']?(\S*settings\w*\.py)\b",
    re.MULTILINE,
)


def served_settings(model: ProjectModel) -> set[str]:
    """Settings modules (paths) the production WSGI/ASGI entry modules default to: the
    ``DJANGO_SETTINGS_MODULE`` a ``get_wsgi_application()``/``get_asgi_application()`` module
    sets with ``setdefault`` (what the server runs unless its environment says otherwise);
    and the module a production Dockerfile copies over the settings module the project loads
    (``cp .../settings_aws_ecs.py .../settings.py``), matched by its file name when one Python
    file of the tree has it."""
    found: set[str] = set()
    by_name: dict[str, list[str]] = {}
    for f in model.files:
        if f.language == "python":
            by_name.setdefault(f.path.rsplit("/", 1)[-1], []).append(f.path)
    for f in model.files:
        if f.language != "dockerfile" or not model.role(f.path).production:
            continue
        for m in _SETTINGS_COPY.finditer("\n".join(model.source_lines(f.path))):
            if m.group(2) != m.group(3).rsplit("/", 1)[-1] and len(by_name.get(m.group(2), ())) == 1:
                found.add(by_name[m.group(2)][0])
    for f in model.files:
        if f.language != "python" or not model.role(f.path).production:
            continue
        lines = model.source_lines(f.path)
        text = "\n".join(lines)
        if "get_wsgi_application" not in text and "get_asgi_application" not in text:
            continue
        for m in _SETTINGS_DEFAULT.finditer(text):
            found.update(model.module_files(f.path, m.group(1)))
    return found


def settings_patched(model: ProjectModel, client: DbClient, keys: tuple[str, ...]) -> str:
    """A production settings module that star-imports the module of a Django ``DATABASES``
    entry and sets one of ``keys`` for its alias afterwards (``DATABASES["default"]
    ["CONN_MAX_AGE"] = 60`` in ``otap.py`` over ``base.py``'s entry; a ``statement_timeout``
    anywhere in it), or ``""``. A key set to ``0`` sets nothing."""
    if client.library != "django" or client.kind != "settings":
        return ""
    alias = re.escape(option(client.options, "alias") or "default")
    for path in model.roles.settings_importers(client.loc.file):
        text = "\n".join(model.source_lines(path))
        for key in keys:
            if key == "statement_timeout":
                if "statement_timeout" in text:
                    return path
                continue
            pattern = (
                rf"""DATABASES\[\s*['"]{alias}['"]\s*\](?:\[\s*['"]OPTIONS['"]\s*\])?"""
                rf"""\[\s*['"]{re.escape(key)}['"]\s*\]\s*=\s*([^\n#]+)"""
            )
            for m in re.finditer(pattern, text):
                if m.group(1).strip() not in {"0", "None"}:
                    return path
            if _set_on_every_entry(text, key):
                return path
    return ""


#: ``for db_config in DATABASES.values():`` / ``for alias in DATABASES:`` / ``for alias,
#: db_config in DATABASES.items():`` at a line's start, with its indented body
_EVERY_ENTRY = re.compile(
    r"^(?P<indent>[ \t]*)for\s+(?:(?P<first>\w+)\s*,\s*)?(?P<name>\w+)\s+in\s+DATABASES"
    r"(?P<view>\.values\(\)|\.keys\(\)|\.items\(\))?\s*:[ \t]*\n"
    r"(?P<body>(?:(?P=indent)[ \t]+[^\n]*\n|[ \t]*\n)+)",
    re.MULTILINE,
)


def _set_on_every_entry(text: str, key: str) -> bool:
    """The settings text sets ``key`` on every ``DATABASES`` entry in a loop (``for db in
    DATABASES.values(): db["CONN_MAX_AGE"] = config("DB_CONN_MAX_AGE", 60)``, or ``for alias in
    DATABASES: DATABASES[alias]["CONN_MAX_AGE"] = 60``) to something other than ``0``. A
    commented-out loop is no loop."""
    for m in _EVERY_ENTRY.finditer(text + "\n"):
        view, name, first = m.group("view"), re.escape(m.group("name")), m.group("first")
        if view == ".items()" and first:
            # ``for alias, db_config in DATABASES.items()``: the entry, or the alias's entry
            entry = rf"(?:(?<![\w.]){name}|DATABASES\[\s*{re.escape(first)}\s*\])"
        elif view == ".values()":
            entry = rf"(?<![\w.]){name}"
        else:
            entry = rf"DATABASES\[\s*{name}\s*\]"  # the loop names each alias
        pattern = (
            rf"""^[ \t]+{entry}(?:\[\s*['"]OPTIONS['"]\s*\])?"""
            rf"""\[\s*['"]{re.escape(key)}['"]\s*\]\s*=\s*([^\n#]+)"""
        )
        for hit in re.finditer(pattern, m.group("body"), re.MULTILINE):
            if hit.group(1).strip() not in {"0", "None"}:
                return True
    return False


def other_branch(
    model: ProjectModel, client: DbClient, configured: Callable[[DbClient], bool]
) -> DbClient | None:
    """Another branch of the same ``if`` that builds the same client and, unlike this one, is
    ``configured`` (``if DATABASE_SERVER: DATABASES = {"default": dj_database_url.parse(url,
    conn_max_age=600)} else: DATABASES = {"default": {...}}``): one branch runs, so the one
    without the setting is a deployment's alternative (a fallback), not a missing setting.
    Settings of one alias assigned one after another are no alternatives: the later replaces
    the earlier. ``None`` when no other branch sets it."""
    branch = option(client.options, "branch")
    if not branch or client.kind != "settings":
        return None
    if_line = branch.split(":", 1)[0]
    alias = option(client.options, "alias")
    for other in model.all(DbClient):
        theirs = option(other.options, "branch") or ""
        if (
            other is not client
            and other.library == client.library
            and other.kind == client.kind
            and other.loc.file == client.loc.file
            and option(other.options, "alias") == alias
            and theirs.split(":", 1)[0] == if_line
            and theirs != branch
            and configured(other)
        ):
            return other
    return None


def dialect_in(model: ProjectModel, client: DbClient) -> str:
    """:func:`dialect`, falling back to the Prisma ``datasource`` provider for a PrismaClient
    and to the backend module a Django ``ENGINE`` names (:func:`_engine_module_dialect`)."""
    found = dialect(client)
    if found == "unknown" and client.library == "django":
        return _engine_module_dialect(model, client) or found
    if found == "unknown" and client.library == "prisma" and client.kind != "datasource":
        ds = _datasource_for(model, client)
        if ds is not None:
            return dialect(ds)
    return found


#: words of a backend's module or source that say which database it talks to
_ENGINE_WORDS = (
    ("postgres", re.compile(r"postgres|postgis|psycopg|psql|cockroach|redshift", re.I)),
    ("mysql", re.compile(r"mysql|mariadb", re.I)),
)


_IMPORTED = re.compile(r"\s*(?:from|import)\s+([\w.]+)")


def _engine_module_dialect(model: ProjectModel, client: DbClient) -> str:
    """For a Django ``ENGINE`` written as a module path that names neither PostgreSQL nor MySQL
    (``'clickhouse_backend.backend'``, ``'bims.database_backend'``), the database its backend
    talks to: a backend module of the repository says it in the modules it imports (``from
    django_tenants.postgresql_backend.base import DatabaseWrapper``: ``postgres``; ``from
    clickhouse_backend.backend.base import ...``: ``other``); a library's backend whose name
    says neither is another database's (``'djongo'``, ``'django_snowflake'``). ``""`` when the
    engine is not such a literal."""
    engine = (option(client.options, "ENGINE") or "").strip()
    if not _LITERAL_ENGINE.fullmatch(engine):
        return ""
    module = engine.strip("'\"")
    # Django loads ``<ENGINE>.base``: the repository's files of that module and of the package
    sources = dict.fromkeys(
        (*model.module_files(client.loc.file, f"{module}.base"), *model.module_files(client.loc.file, module))
    )
    # the modules the backend imports (the backend it wraps), not the words of its code
    texts = [
        m.group(1) for path in sources for line in model.source_lines(path) if (m := _IMPORTED.match(line))
    ] or [module]
    for kind, words in _ENGINE_WORDS:
        if any(words.search(text) for text in texts):
            return kind
    return "other"


def resolve(model: ProjectModel, client: DbClient) -> Resolved:
    """Merge URL parameters from the environment variables the client reads."""
    url_env = client.url_env
    pool = list(client.pool_options)
    timeouts = list(client.timeout_options)
    pooler = client.serverless
    # Prisma reads its datasource block; Flask-SQLAlchemy's ``SQLAlchemy()`` reads the app config
    if (client.library == "prisma" and url_env is None) or (
        client.library == "sqlalchemy"
        and client.kind != "datasource"
        and option(client.options, "config") == "flask"
    ):
        ds = _datasource_for(model, client)
        if ds is not None:
            url_env = ds.url_env
            pool += ds.pool_options
            timeouts += ds.timeout_options
            pooler = pooler or ds.serverless
    values: list[str] = []
    if url_env:
        # the environment of this client's service (a sibling service's .env is not its own)
        values = [
            e.value
            for e in model.all(EnvVar)
            if e.name == url_env and e.value.strip() and model.services.related(client.loc.file, e.loc.file)
        ]
        for value in values:
            params = url_params(value)
            pool += [p for p in params if p in {"connection_limit", "pool_size", "maxpoolsize", "max"}]
            timeouts += [p for p in params if "timeout" in p or p == "maxtimems"]
            if "statement_timeout" in value:
                timeouts.append("statement_timeout")
            pooler = pooler or is_pooler_url(value)
    pooler = pooler or deployed_through_pgbouncer(model, client)
    return Resolved(
        client, url_env, tuple(values), tuple(dict.fromkeys(pool)), tuple(dict.fromkeys(timeouts)), pooler
    )


#: an environment variable that gives a database's host, port or URL (``DB_HOST``,
#: ``POSTGRES_WRITE_HOST``, ``DATABASE_URL``, ``PGPORT``)
_DB_ADDRESS_ENV = re.compile(
    r"(?:DB|PG|POSTGRES|DATABASE)\w*(?:HOST|PORT|URL|URI)|^PG(?:HOST|PORT)$", re.IGNORECASE
)


def deployed_through_pgbouncer(model: ProjectModel, client: DbClient) -> bool:
    """Whether the production deployment of ``client``'s service points its database address at
    PgBouncer: a Kubernetes/OpenShift/compose environment variable for a database host, port or
    URL whose value, or the secret key it is read from, names PgBouncer (Crunchy's
    ``pgbouncer-host``/``pgbouncer-port`` keys, a ``…-pgbouncer`` service) or PgBouncer's port
    6432. The connections a process opens then go to the pooler, not to new PostgreSQL backends."""
    services = model.services
    for svc in model.all(Service):
        if not svc.environment or services.service_dev_reason(svc):
            continue
        if not services.related(client.loc.file, svc.loc.file):
            continue
        for name, value in svc.environment:
            low = value.lower()
            if _DB_ADDRESS_ENV.search(name) and ("pgbouncer" in low or low.strip() == "6432"):
                return True
    return False


def global_statement_timeout(model: ProjectModel) -> DbSetting | None:
    """A role-, database- or server-level statement timeout (covers every client)."""
    for setting in model.all(DbSetting):
        if setting.scope in {"role", "database", "server"} and setting.name in {
            "statement_timeout",
            "max_execution_time",
        }:
            return setting
    return None


_STATEMENT_SETTINGS = frozenset({"statement_timeout", "max_execution_time"})
# a setting run by one library's connections also covers the clients built on them
# (``drizzle(pool)`` and Kysely run on a pg Pool; SQLModel/Flask-SQLAlchemy on SQLAlchemy)
_RUNS_ON = {"pg": {"pg", "drizzle", "kysely"}, "postgres-js": {"postgres-js", "drizzle"}}


def package_dir(model: ProjectModel, path: str) -> str:
    """The folder of the nearest manifest above ``path`` (its package or service); ``""`` =
    the scanned root."""
    folder = path.rsplit("/", 1)[0] if "/" in path else ""
    best = ""
    for item in model.all(StackItem):
        where = item.loc.file.rsplit("/", 1)[0] if "/" in item.loc.file else ""
        if (folder == where or folder.startswith(where + "/")) and len(where) > len(best):
            best = where
    return best


def code_timeouts(model: ProjectModel, client: DbClient) -> tuple[DbSetting | None, DbSetting | None]:
    """``(session, transaction)``: a ``SET statement_timeout`` that code runs on the client's
    connections (a connect hook, a wrapper), and a ``SET LOCAL statement_timeout`` run inside
    its transactions. Code counts when it is in the client's file, or in a file of the same
    package that imports the client's file (a hook must get hold of the client) or that is
    imported together with it by another file (a statement constant a DAO runs on the client's
    sessions), and runs on the client's library when that is known."""
    home = package_dir(model, client.loc.file)
    found: dict[str, DbSetting] = {}
    for setting in sorted(
        model.all(DbSetting), key=lambda s: (s.loc.file != client.loc.file, s.loc.file, s.loc.line)
    ):
        if setting.scope not in {"session", "transaction"} or setting.name not in _STATEMENT_SETTINGS:
            continue
        if setting.loc.file != client.loc.file and (
            package_dir(model, setting.loc.file) != home
            or not (
                model.imports_from(setting.loc.file, client.loc.file)
                or model.shares_importer(setting.loc.file, client.loc.file, _exported_as(model, client))
            )
        ):
            continue
        if setting.library and client.library not in _RUNS_ON.get(setting.library, {setting.library}):
            continue  # a pg connect hook does not set Prisma's connections
        found.setdefault(setting.scope, setting)
    if client.library == "django" and client.kind == "settings" and "transaction" not in found:
        # ``connection.cursor().execute("SET statement_timeout ...")`` in a view helper runs on
        # Django's connection for the requests that call it (settings are loaded by name, not
        # imported): a timeout some paths set, like a per-transaction one
        related = model.services.related
        for setting in model.all(DbSetting):
            if (
                setting.library == "django"
                and setting.scope in {"session", "transaction"}
                and setting.name in _STATEMENT_SETTINGS
                and setting.function_id
                and related(client.loc.file, setting.loc.file)
            ):
                found["transaction"] = setting
                break
    return found.get("session"), found.get("transaction")


def _exported_as(model: ProjectModel, client: DbClient) -> frozenset[str]:
    """The name another module imports to reach ``client`` when its file builds several (the
    class or function that builds it); empty (any name) when the file builds only this one or
    builds it at module level."""
    if client.function_id is None:
        return frozenset()
    siblings = [c for c in model.all(DbClient) if c.loc.file == client.loc.file]
    if len(siblings) < 2:
        return frozenset()
    qualname = client.function_id.split("::", 1)[-1].split("@", 1)[0]
    return frozenset({qualname.split(".", 1)[0]})


def options_set_statement_timeout(client: DbClient) -> bool:
    """An option value carries a server-side timeout (``options: "-c statement_timeout=5000"``)."""
    return any(mentions_statement_timeout(value) for _, value in client.options)


def has_statement_timeout(names: tuple[str, ...]) -> bool:
    return any(n.rsplit(".", 1)[-1].lower() in STATEMENT_TIMEOUTS for n in names)


def server_max_connections(model: ProjectModel) -> int:
    for setting in model.all(DbSetting):
        if setting.name == "max_connections" and setting.value.isdigit():
            return int(setting.value)
    return PG_MAX_CONNECTIONS


def where(client: DbClient) -> str:
    return f"{client.loc.file}:{client.loc.line}"


#: drivers (StackItem names and imported modules) -> the database they talk to; a driver not
#: listed (``databases``: any of them) does not tell
_DRIVER_DB = {
    "pg": "postgres",
    "postgres": "postgres",
    "pg-promise": "postgres",
    "vercel-postgres": "postgres",
    "supabase": "postgres",
    "neon": "postgres",
    "@neondatabase/serverless": "postgres",
    "@vercel/postgres": "postgres",
    "asyncpg": "postgres",
    "psycopg": "postgres",
    "psycopg2": "postgres",
    "mysql": "mysql",
    "mysql2": "mysql",
    "planetscale": "mysql",
    "@planetscale/database": "mysql",
    "pymysql": "mysql",
    "mysqlclient": "mysql",
    "mysql-connector": "mysql",
    "pymssql": "mssql",
    "aiomysql": "mysql",
    "asyncmy": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
    "sqlite3": "sqlite",
    "better-sqlite3": "sqlite",
    "aiosqlite": "sqlite",
    "@libsql/client": "sqlite",
    "libsql": "sqlite",
    "bun:sqlite": "sqlite",
    "node:sqlite": "sqlite",
    "tedious": "mssql",
    "mssql": "mssql",
    "oracledb": "oracle",
    "mongodb": "mongo",
    "pymongo": "mongo",
    "motor": "mongo",
    # Drizzle's dialect modules and driver adapters
    "drizzle-orm/pg-core": "postgres",
    "drizzle-orm/node-postgres": "postgres",
    "drizzle-orm/postgres-js": "postgres",
    "drizzle-orm/neon-http": "postgres",
    "drizzle-orm/neon-serverless": "postgres",
    "drizzle-orm/vercel-postgres": "postgres",
    "drizzle-orm/mysql-core": "mysql",
    "drizzle-orm/mysql2": "mysql",
    "drizzle-orm/planetscale-serverless": "mysql",
    "drizzle-orm/sqlite-core": "sqlite",
    "drizzle-orm/better-sqlite3": "sqlite",
    "drizzle-orm/libsql": "sqlite",
    "drizzle-orm/bun-sqlite": "sqlite",
    "drizzle-orm/d1": "sqlite",
}
#: ORMs and drivers that only talk to one database
_ORM_DB = {"supabase": "postgres", "asyncpg": "postgres", "psycopg": "postgres", "postgres": "postgres"}


def database_of(model: ProjectModel, path: str, orm: str = "") -> str:
    """The SQL database the code at ``path`` talks to: ``postgres`` | ``mysql`` | ``sqlite`` |
    ``unknown``, from the clients, drivers and imports of its service (a Prisma ``provider``,
    Django ``ENGINE``, TypeORM ``type``, Sequelize ``dialect``, Knex ``client``; ``pg``,
    ``psycopg2``, ``mysql2``, ``better-sqlite3``...). PostgreSQL wins over MySQL, and either over
    SQLite (a SQLite driver beside another is usually the test database)."""
    if orm in _ORM_DB:
        return _ORM_DB[orm]
    found: set[str] = set()
    services = model.services
    for client in model.all(DbClient):
        if client.library == "drizzle" or not services.related(path, client.loc.file):
            continue  # Drizzle runs on any of them: its driver adapter says which
        kind = dialect_in(model, client)
        if kind in {"postgres", "mysql"}:
            found.add(kind)
        elif "sqlite" in client.library.lower() or any("sqlite" in v.lower() for _, v in client.options):
            found.add("sqlite")
    for item in model.all(StackItem):
        if item.kind == "db-driver" and item.scope == "production" and services.related(path, item.loc.file):
            found.add(_DRIVER_DB.get(item.name.lower(), ""))
    for imp in model.all(Import):
        kind = _DRIVER_DB.get(imp.module.lower(), "")
        if kind and kind not in found and services.related(path, imp.loc.file):
            found.add(kind)
    for kind in ("postgres", "mysql", "sqlite"):
        if kind in found:
            return kind
    return "unknown"


def _production_stack(model: ProjectModel, path: str) -> list[StackItem]:
    """The production dependencies declared by the package of ``path``: its manifest, or one
    above it (a monorepo's root hoists them)."""
    return [
        item for item in model.all(StackItem) if item.scope == "production" and _governs(item.loc.file, path)
    ]


_REQUIREMENTS_FOLDERS = frozenset({"requirements", "reqs", "requirements.d"})


def _governs(manifest: str, path: str) -> bool:
    """``manifest`` (a requirements, package or lock file) is in the folder of ``path`` or one
    above it: it declares what the code at ``path`` runs with."""
    where = manifest.rsplit("/", 1)[0] if "/" in manifest else ""
    if where.rsplit("/", 1)[-1] in _REQUIREMENTS_FOLDERS:
        # ``requirements/production.txt``: the requirements of the folder above
        where = where.rsplit("/", 1)[0] if "/" in where else ""
    folder = path.rsplit("/", 1)[0] if "/" in path else ""
    return where == "" or folder == where or folder.startswith(where + "/")


def declared_databases(model: ProjectModel, path: str) -> set[str]:
    """The databases the production drivers declared by the package of ``path`` talk to
    (:data:`_DRIVER_DB`); ``unknown`` for a driver that can talk to several. Empty when the
    package declares none."""
    return {
        _DRIVER_DB.get(item.name.lower(), "unknown")
        for item in _production_stack(model, path)
        if item.kind == "db-driver"
    }


def only_postgres_driver(model: ProjectModel, path: str) -> str:
    """The database driver the package of ``path`` declares for production, by name, when it
    declares drivers and every one is PostgreSQL's (``psycopg2``): a URL or engine left to the
    environment then names PostgreSQL (SQLite needs no driver, but a package that installs
    PostgreSQL's driver and no other deploys on PostgreSQL). ``""`` otherwise."""
    drivers = sorted({item.name for item in _production_stack(model, path) if item.kind == "db-driver"})
    if drivers and all(_DRIVER_DB.get(name.lower()) == "postgres" for name in drivers):
        return ", ".join(drivers)
    return ""


def candidate_dialects(model: ProjectModel, client: DbClient) -> set[str]:
    """For a client built from a configuration held in a variable (``knex(config)``), the
    dialects of the configurations of the same library the same function writes out
    (``config = { client: "mysql2", ... }`` in each branch): it is built from one of them."""
    if client.options or client.function_id is None:
        return set()
    return {
        dialect(other)
        for other in model.all(DbClient)
        if other is not client
        and other.library == client.library
        and other.function_id == client.function_id
        and other.loc.file == client.loc.file
        and other.options
    } - {"unknown"}


#: a module path written as a string literal (``'clickhouse_backend.backend'``)
_LITERAL_ENGINE = re.compile(r"""(['"])[A-Za-z_][\w.]*\1""")

_PG_IMAGE = re.compile(r"(?:^|/)(?:postgres|postgis|timescaledb|supabase/postgres|bitnami/postgresql)", re.I)
_OTHER_DB_IMAGE = re.compile(r"(?:^|/)(?:mysql|mariadb|percona|bitnami/mysql|bitnami/mariadb)", re.I)


def deployed_database(model: ProjectModel, resolved: Resolved) -> tuple[str, str]:
    """For a client whose code leaves the database open (a URL or engine from the
    environment), what the deployment files show, with where: ``("postgres", why)`` when the
    URL's visible values (``.env``, compose) are PostgreSQL URLs or a production compose/k8s
    service of the project runs a PostgreSQL image and none runs MySQL/MariaDB; ``("sqlite",
    why)`` / ``("mysql", why)`` when every visible value of its URL is a SQLite / MySQL URL;
    ``("", "")`` when nothing shows."""
    schemes = url_schemes(resolved.env_values)
    if any(is_sqlite_url(v) for v in resolved.env_values) and not schemes - {"sqlite"}:
        return "sqlite", f"{resolved.url_env} is a SQLite URL wherever the repository sets it"
    if schemes and not schemes - {"mysql", "mariadb"}:
        return "mysql", f"{resolved.url_env} is a MySQL URL wherever the repository sets it"
    if schemes & {"postgres", "postgresql", "pgsql"}:
        return "postgres", f"{resolved.url_env} is a PostgreSQL URL in the deployment files"
    # the deployment of this client's service (a sibling service's compose file is not its own)
    here = resolved.client.loc.file
    images = [
        (svc.image, svc.loc)
        for svc in model.all(Service)
        if svc.image
        and not model.services.service_dev_reason(svc)
        and not is_test_path(svc.loc.file)
        and model.services.related(here, svc.loc.file)
    ]
    pg = [(image, loc) for image, loc in images if _PG_IMAGE.search(image)]
    if pg and not any(_OTHER_DB_IMAGE.search(image) for image, _ in images):
        image, loc = pg[0]
        return "postgres", f"{loc.file} runs `{image}`"
    return "", ""


#: option keys that say where a client connects
_TARGET_KEYS = frozenset(
    {
        "connection",
        "connectionString",
        "connection_string",
        "url",
        "uri",
        "dsn",
        "host",
        "database",
        "conninfo",
    }
)
_CONFIG_WORDS = re.compile(r"process\.env|import\.meta\.env|os\.environ|getenv|\benv\b|config|settings", re.I)


def caller_chosen(model: ProjectModel, client: DbClient) -> str:
    """The parameter a client's connection target is built from, when it is built only from
    the parameters of the function that creates it (``knex({ connection: { host:
    $.auth.data.host } })`` in ``getClient($)``): a database the caller picks at run time (an
    integration step's, a user-configured source), not the application's own. ``""`` when the
    target also reads the environment or a configuration, or nothing shows it."""
    if client.function_id is None:
        return ""
    fn = model.functions.get(client.function_id)
    params = [p.lstrip("*&.").split(":", 1)[0].split("=", 1)[0].strip() for p in (fn.params if fn else ())]
    params = [p for p in params if p.isidentifier() or p == "$"]
    if not params:
        return ""
    values = [v for k, v in client.options if k.split(".", 1)[0] in _TARGET_KEYS]
    if not values or any(_CONFIG_WORDS.search(v) for v in values):
        return ""
    used = {p for p in params if any(re.search(rf"(?<![\w$]){re.escape(p)}(?![\w$])", v) for v in values)}
    if not used or fn is None:
        return ""
    # a caller that passes the application's own configuration (``openPool(process.env.URL)``)
    # makes it the application's database after all
    call = re.compile(rf"(?<![\w$.]){re.escape(fn.name)}\s*\(([^\n]*)")
    for other in model.functions.values():
        if other.id == fn.id or not any(c.name == fn.name for c in other.calls):
            continue
        for m in call.finditer(function_text(model, other.id)):
            if _CONFIG_WORDS.search(m.group(1)):
                return ""
    return sorted(used)[0]


#: the ways code closes what it opened
_CLOSE = r"\??\.(?:end|close|dispose|release|\$disconnect|disconnect|destroy)\s*\("


def function_text(model: ProjectModel, function_id: str) -> str:
    """The source of a function, as written."""
    fn = model.functions.get(function_id)
    if fn is None:
        return ""
    lines = model.source_lines(fn.loc.file)
    return "\n".join(lines[fn.loc.line - 1 : (fn.loc.end_line or fn.loc.line)])


#: modules of the schema-migration tools: code that imports them runs migrations
_MIGRATION_TOOLS = ("alembic", "yoyo", "django.db.migrations")


def migration_runner(model: ProjectModel, client: DbClient) -> str:
    """The function a client is handed to when its only use is as an argument of functions
    that run schema migrations (defined in a module that imports a migration tool such as
    alembic): ``migration_engine = create_async_engine(url, poolclass=NullPool)`` then
    ``migrate_in_thread(migration_engine)`` at start-up. Such an engine serves no request and
    must not cut long DDL short. ``""`` when the client is used otherwise, or nothing shows it."""
    name = bound_name(model, client)
    if not name or client.function_id is None:
        return ""
    text = function_text(model, client.function_id)
    uses = [m.start() for m in re.finditer(rf"(?<![\w$.]){re.escape(name)}(?![\w$])", text)]
    callees: set[str] = set()
    for at in uses:
        line_start = text.rfind("\n", 0, at) + 1
        if re.match(rf"\s*{re.escape(name)}\s*(?::[^=]+)?=(?!=)", text[line_start:]):
            continue  # the assignment itself
        m = re.search(r"([A-Za-z_][\w.]*)\(\s*(?:[^()]*,\s*)?$", text[max(0, at - 200) : at])
        if m is None:
            return ""  # used some other way (a query, an attribute, returned)
        callees.add(m.group(1).rsplit(".", 1)[-1])
    if not callees:
        return ""
    runners: set[str] = set()
    for callee in callees:
        found = [fn for fn in model.functions.values() if fn.name == callee]
        files = {fn.loc.file for fn in found}
        if not files or not all(_imports_migration_tool(model, f) for f in files):
            return ""
        runners.add(callee)
    return sorted(runners)[0]


def _imports_migration_tool(model: ProjectModel, path: str) -> bool:
    return any(
        imp.loc.file == path
        and any(imp.module == t or imp.module.startswith(t + ".") for t in _MIGRATION_TOOLS)
        for imp in model.all(Import)
    )


_TEST_WORDS = frozenset({"test", "tests", "testing", "e2e", "spec"})


def test_client_name(model: ProjectModel, client: DbClient) -> str:
    """The name a client is bound to, or the connection it is built from, when that name is
    the test suite's (``TESTS_CONFIG``, ``testConnectionObj``, ``test_engine``): a
    configuration the tests select (``nodeEnv === "test" ? TESTS_CONFIG : RUNTIME_CONFIG``),
    not production's; ``""`` otherwise."""
    for name in (bound_name(model, client), client.target):
        if _words(name or "") & _TEST_WORDS:
            return name
    return ""


_DEV_WORDS = frozenset({"local", "dev", "development"})


def _words(name: str) -> set[str]:
    """``localConfig`` -> ``{"local", "config"}``; ``TESTS_CONFIG`` -> ``{"tests", "config"}``."""
    return {w.lower() for w in re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", name)}


def dev_client_name(model: ProjectModel, client: DbClient) -> str:
    """The name a client's configuration is bound to when that name is a developer's
    (``localConfig``, ``devConfig``) and another configuration of the same file is bound to a
    name that is neither a developer's nor the tests' (``remoteConfig``, ``prodConfig``): a
    knexfile's or config module's alternatives, of which the deployment runs the other one.
    ``""`` otherwise (a lone ``localDb`` may be the production database on the same host)."""
    name = bound_name(model, client)
    if not name or not _words(name) & _DEV_WORDS:
        return ""
    for other in model.all(DbClient):
        if other is client or other.loc.file != client.loc.file:
            continue
        theirs = bound_name(model, other)
        if theirs and not _words(theirs) & (_DEV_WORDS | _TEST_WORDS):
            return name
    return ""


def client_doubts(model: ProjectModel, res: Resolved) -> list[str]:
    """Why the client of ``res`` may not be a database production's requests use, each as a
    clause both pool rules add to a low finding: bound to the tests' or a developer's name,
    used by nothing or only by tooling, a URL branch beside a SQLite one, Django settings no
    site runs or every deployed settings class replaces, a second Django alias nothing names."""
    client = res.client
    out: list[str] = []
    if name := test_client_name(model, client):
        out.append(f"it is bound to `{name}`, a name for the test suite's database")
    if name := never_used(model, client):
        out.append(
            f"nothing uses `{name}` after it is built: no query runs on it, and the driver opens no "
            "connection until one does"
        )
    elif (why := tooling_only(model, client)) and not orchestrated(model, client):
        out.append(why)  # (Airflow or Dagster code: the rules say that, more precisely)
    if name := dev_client_name(model, client):
        out.append(f"it is bound to `{name}`, a name for a developer's database, beside the deployment's")
    if line := sqlite_alternative(model, res):
        out.append(
            f"the other branch of the same `if` (line {line}) uses SQLite, and no URL value in the "
            "repository says which branch production runs"
        )
    if why := django_without_site(model, client):
        out.append(why)
    if why := replaced_in_subclasses(model, client):
        out.append(why)
    if alias := unused_alias(model, client):
        out.append(
            f"no production code uses the alias `{alias}` (no `using('{alias}')`, router or "
            f"`connections['{alias}']`), and Django opens a connection to an alias only when something "
            "uses it"
        )
    return out


_SITE_APP = re.compile(
    r"\b(?:get_wsgi_application|get_asgi_application|WSGIHandler|ASGIHandler)\b"
    r"|^\s*(?:ROOT_URLCONF|WSGI_APPLICATION|ASGI_APPLICATION)\s*="
)
_SITE_COMMAND = re.compile(r"\b(?:wsgi|asgi)\b|\brunserver\b")


def django_without_site(model: ProjectModel, client: DbClient) -> str:
    """Why no web server runs the Django settings of ``client``, as a clause, or ``""``: the
    repository holds no WSGI or ASGI application (no ``wsgi.py``/``asgi.py``, no call of
    ``get_wsgi_application``/``get_asgi_application``), no settings module names one or a URL
    configuration (``WSGI_APPLICATION``, ``ROOT_URLCONF``: a site's ``wsgi.py`` may be generated
    from a template and ignored by git), and no deployment command serves one (``gunicorn
    x.wsgi``, ``runserver``). Such settings belong to a reusable app's own tooling (making its
    migrations, running its tests), not to a site that answers requests."""
    if client.library != "django":
        return ""
    if any(f.path.endswith(("wsgi.py", "asgi.py")) for f in model.files):
        return ""
    if any(_SITE_COMMAND.search(e.command) for e in model.all(EntryPoint)):
        return ""
    # the modules that would say it: settings modules, and Python files of the project
    # (a ``handler.py`` wrapping ``get_asgi_application()`` in Mangum)
    for f in model.files:
        if f.language == "python" and any(_SITE_APP.search(line) for line in model.source_lines(f.path)):
            return ""
    return (
        "the repository holds no WSGI or ASGI application (no `wsgi.py` or `asgi.py`, no "
        "`get_wsgi_application()`) and no command serves one: these settings serve a reusable app's "
        "own migrations and tests, not a site"
    )


#: a settings class named for development, tests or CI (``Local``, ``Dev``, ``Testing``,
#: ``CIConfig``): a deployment runs another
_DEV_CLASS_WORDS = frozenset(
    {"local", "dev", "devel", "develop", "development", "test", "tests", "testing", "e2e", "debug", "ci"}
    | {"travis", "circleci", "jenkins", "github", "buildkite", "drone"}
)


def _dev_class(name: str) -> bool:
    """``Local``, ``LocalDocker``, ``Development``, ``TestConfig``: named for development, tests
    or CI by its first word."""
    words = re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", name)
    return bool(words) and words[0].lower() in _DEV_CLASS_WORDS


def replaced_in_subclasses(model: ProjectModel, client: DbClient) -> str:
    """Why a ``DATABASES`` entry written in a settings class does not run, as a clause, or
    ``""``: with class-based settings (django-configurations: ``class Common(Configuration)``,
    ``class CloudGov(Common)``, ``class Local(Common)``) the running configuration is one class;
    an entry applies to its class and the subclasses that do not assign ``DATABASES`` again.
    When some subclass assigns its own and every class that inherits this one is named for
    development, tests or CI (``Local`` and what derives from it), the deployments run the
    others' entries, which are reported where they are."""
    if client.library != "django" or client.kind != "settings":
        return ""
    classes = [c for c in model.all(ClassDecl) if c.loc.file.endswith(".py") and c.kind == "class"]
    home = [
        c
        for c in classes
        if c.loc.file == client.loc.file and c.loc.line < client.loc.line <= (c.loc.end_line or c.loc.line)
    ]
    if not home:
        return ""
    base = max(home, key=lambda c: c.loc.line)  # the innermost class around the entry
    children: dict[str, list[ClassDecl]] = {}
    for c in classes:
        for b in c.bases:
            children.setdefault(b.rsplit(".", 1)[-1], []).append(c)

    def assigns(c: ClassDecl) -> bool:
        lines = model.source_lines(c.loc.file)[c.loc.line : c.loc.end_line or c.loc.line]
        return any(re.match(r"\s+DATABASES\s*=", line) for line in lines)

    replaced: list[str] = []
    inherit: list[str] = []
    todo = list(children.get(base.name, ()))
    seen: set[str] = set()
    while todo:
        c = todo.pop()
        if c.name in seen or c.name == base.name:
            continue
        seen.add(c.name)
        if assigns(c):
            replaced.append(c.name)
        elif _dev_class(c.name):
            inherit.append(c.name)  # a development variant, and what derives from it
        else:
            return ""  # a class a deployment may run keeps this entry
    if not replaced:
        return ""
    shown = ", ".join(f"`{n}`" for n in sorted(replaced)[:3])
    kept = (
        f"; only development classes inherit it ({', '.join(f'`{n}`' for n in sorted(inherit)[:3])})"
        if inherit
        else ""
    )
    return (
        f"the settings classes that derive from `{base.name}` assign their own DATABASES ({shown}){kept}: "
        "this entry is not what a deployment runs"
    )


def never_used(model: ProjectModel, client: DbClient) -> str:
    """The name a pool or client is bound to when nothing uses it after it is built: the name
    appears on no other line of its file, the line does not export it, and no file imports a
    name like it (``const pgPool = new pg.Pool({...})`` beside a Sequelize client that does the
    queries). Drivers open connections when a query first needs one, so such a pool opens none.
    ``""`` otherwise, and for settings blocks (Django ``DATABASES``, a Prisma datasource)."""
    bound = _private_binding(model, client)
    if bound is None:
        return ""
    name, lines, at = bound
    imported = {n for imp in model.all(Import) for n in (imp.name, imp.local)}
    return name if _unused(lines, _open_brackets(lines), name, {at}, imported, 0) else ""


def _private_binding(model: ProjectModel, client: DbClient) -> tuple[str, list[str], int] | None:
    """``(name, file lines, line index)`` of the name a pool or client is bound to on its line
    when that line does not export it; ``None`` for settings blocks, unnamed or exported
    constructions."""
    if client.kind not in {"pool", "client"} or client.library == "django":
        return None
    name = bound_name(model, client)
    if not name or len(name) < 3:
        return None
    lines = model.source_lines(client.loc.file)
    at = client.loc.line - 1
    if 0 <= at < len(lines) and re.search(r"\bexport\b", lines[at]):
        return None
    return name, lines, at


def _unused(
    lines: list[str],
    opened: list[int],
    name: str,
    own: set[int],
    imported: set[str],
    depth: int,
    functions: Sequence[tuple[int, int, str]] = (),
    chain: list[str] | None = None,
) -> bool:
    """Whether ``name`` is used nowhere but on the lines ``own`` (its own binding) and inside
    the construction of other bindings that are themselves unused (``SyncSession =
    sessionmaker(bind=sync_engine)`` when nothing uses ``SyncSession``), and no file imports
    it (no name of ``imported``). With ``functions`` (``(first, last line index, name)`` of the
    file's plain functions), a use inside one of them counts only if that function is used by
    the same measure (``def get_migration_session(): return MigrationSession()`` imported by
    nothing ``imported`` holds). ``opened`` is :func:`_open_brackets` of ``lines``; ``chain``
    receives every name followed."""
    if chain is not None:
        chain.append(name)
    if name in imported:
        return False
    word = re.compile(rf"(?<![\w$]){re.escape(name)}(?![\w$])")
    for i, line in enumerate(lines):
        if i in own or not word.search(_STRINGS.sub('""', line)):
            continue  # a name inside a string literal (``"postgresql://app@db/app"``) is no use
        if depth >= 3:
            return False
        binding = _binding_around(lines, opened, i)
        if binding is None:
            around = [f for f in functions if f[0] < i <= f[1]]
            if not around:
                return False
            first, last, fname = min(around, key=lambda f: f[1] - f[0])  # the innermost
            binding = (fname, set(range(first, last + 1)))
        other, span = binding
        if other == name or not _unused(lines, opened, other, span, imported, depth + 1, functions, chain):
            return False
    return True


#: roles of code that serves no requests: an unimported module (a script no entry point runs,
#: an Airflow DAG its scheduler loads) may run, but not on a request's path
_NOT_SERVING = frozenset({"tooling", "test", "migration", "dev-only", "unimported"})


def tooling_only(model: ProjectModel, client: DbClient) -> str:
    """The files that use a module-level pool or engine when none of them is production code:
    the names built on it (a session factory, the functions that open its sessions) are
    imported only by seed scripts, CLI tools or tests, and no production code of its own
    module uses them (``data_migration_engine`` beside the ``engine`` the routes use, reached
    only through ``get_sqlalchemy_session()`` from ``app/seed/load_*.py``). Its connections are
    opened by those runs, not by requests. ``""`` otherwise (and when nothing uses it at all:
    :func:`never_used`)."""
    bound = _private_binding(model, client) if client.function_id is None else None
    if bound is None:
        return ""
    name, lines, at = bound
    path = client.loc.file
    # the names code that may serve requests imports
    production = {
        n
        for imp in model.all(Import)
        if model.role(imp.loc.file).kind not in _NOT_SERVING
        for n in (imp.name, imp.local)
    }
    functions = [
        (fn.loc.line - 1, (fn.loc.end_line or fn.loc.line) - 1, fn.name)
        for fn in model.functions.values()
        if fn.loc.file == path
        and fn.name
        and fn.by_name
        and not fn.decorators
        and not model.routes_reaching(fn.id)
        and model.hook_reaching(fn.id) is None
    ]
    chain: list[str] = []
    if not _unused(lines, _open_brackets(lines), name, {at}, production, 0, functions, chain):
        return ""
    outside = [
        imp
        for imp in model.all(Import)
        if imp.name in chain and model.role(imp.loc.file).kind in _NOT_SERVING
    ]
    if not outside:
        return ""  # nothing uses it at all: never_used says so
    users = sorted({imp.loc.file for imp in outside})
    via = ", ".join(f"`{n}`" for n in sorted({imp.name for imp in outside}))
    shown = ", ".join(users[:2]) + (f" and {len(users) - 2} more" if len(users) > 2 else "")
    return f"only code that is not production's uses `{name}`: {shown} import {via}"


_STRINGS = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'""")
_BINDING = re.compile(r"\s*(?:(?:const|let|var)\s+)?([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=(?!=)")


def _open_brackets(lines: list[str]) -> list[int]:
    """How many brackets are open at the start of each line (one more entry, for the end)."""
    opened = [0] * (len(lines) + 1)
    for j, line in enumerate(lines):
        opened[j + 1] = max(0, opened[j] + _brackets(line))
    return opened


def _binding_around(lines: list[str], opened: list[int], i: int) -> tuple[str, set[int]] | None:
    """``(bound name, line indexes)`` of the assignment statement whose right-hand side holds
    line ``i`` (``W = sessionmaker(`` ... ``bind=engine`` ... ``)``), looking up to 8 lines
    back; ``None`` when line ``i`` is not inside one. A statement starts where no bracket is
    open (``opened``: :func:`_open_brackets`), so ``bind=engine`` inside a call is a keyword,
    not an assignment."""
    for start in range(i, max(-1, i - 9), -1):
        if opened[start] or (m := _BINDING.match(lines[start])) is None:
            continue
        span = {start}
        j = start
        while opened[j + 1] and j + 1 < len(lines) and j - start < 40:
            j += 1
            span.add(j)
        return (m.group(1), span) if i in span else None
    return None


def _brackets(line: str) -> int:
    """Brackets a line opens minus those it closes (``(`` and ``[``; braces also open blocks)."""
    return line.count("(") + line.count("[") - line.count(")") - line.count("]")


def bound_name(model: ProjectModel, client: DbClient) -> str:
    """The name a construction is assigned to on its line (``pool`` of ``const pool = ...``)."""
    lines = model.source_lines(client.loc.file)
    text = lines[client.loc.line - 1] if 0 < client.loc.line <= len(lines) else ""
    m = re.match(r"\s*(?:(?:const|let|var)\s+)?([\w$]+)\s*(?::[^=]+)?=(?!=)", text)
    return m.group(1) if m else ""


def _after_construction(model: ProjectModel, client: DbClient) -> tuple[str, str]:
    """The name ``client`` is bound to and the text of its function after the construction
    (``("", "")`` outside a function or unbound): ``if pool: pool.close()`` before ``pool =
    create_pool()`` closes the previous pool, not this one."""
    name = bound_name(model, client)
    fn = model.functions.get(client.function_id) if client.function_id is not None else None
    if not name or fn is None:
        return "", ""
    lines = model.source_lines(client.loc.file)
    return name, "\n".join(lines[client.loc.line : (fn.loc.end_line or fn.loc.line)])


def closed_in_function(model: ProjectModel, client: DbClient) -> str:
    """``client.end()`` when the function that opens a client also closes it (a one-off
    connection for one task: a seed at start-up, a cancel request), else ``""``."""
    name, after = _after_construction(model, client)
    m = re.search(rf"(?<![\w$.]){re.escape(name)}{_CLOSE}", after) if name else None
    return m.group(0).strip() + ")" if m else ""


def engine_connection_closed(model: ProjectModel, client: DbClient) -> str:
    """``conn.close()`` when a SQLAlchemy engine built inside a function gives back, in that
    function, the one connection it takes (``conn = engine.connect()`` ... ``conn.close()`` in
    a ``finally``, or ``with engine.connect() as conn:``): a connect per call, no connection
    left behind (the engine, local to the call, goes with it); else ``""``."""
    name, after = _after_construction(model, client)
    if client.library != "sqlalchemy" or not name:
        return ""
    held = re.escape(name) + r"\.(?:connect|begin|raw_connection)\(\)"
    if w := re.search(rf"\bwith\s+{held}", after):
        return w.group(0).strip()
    for bound in re.finditer(rf"(?<![\w.])(\w+)\s*=\s*{held}", after):
        c = re.search(rf"(?<![\w$.]){re.escape(bound.group(1))}{_CLOSE}", after[bound.end() :])
        if c:
            return c.group(0).strip() + ")"
    return ""


def database_of_client(model: ProjectModel, client: DbClient) -> str:
    """:func:`dialect_in`, and when that is unknown what the code around the client shows:
    the dialects of the configurations it is built from (:func:`candidate_dialects`), else the
    drivers its package declares (:func:`declared_databases`). When those rule PostgreSQL out:
    ``mysql`` if they are all MySQL, else ``other``; ``unknown`` while PostgreSQL stays
    possible or nothing tells."""
    found = dialect_in(model, client)
    if found != "unknown":
        return found
    for candidates in (candidate_dialects(model, client), declared_databases(model, client.loc.file)):
        if not candidates or "unknown" in candidates:
            continue  # this source does not tell: ask the next
        if "postgres" in candidates:
            return "unknown"
        return "mysql" if candidates == {"mysql"} else "other"
    return "unknown"


_ASGI_WORKER = re.compile(r"\buvicorn(?:_worker|\.workers)\.Uvicorn\w*Worker\b")
_WSGI_COMMAND = re.compile(r"(?:^|[\s/])uwsgi\b|\.wsgi\b|\bwsgi:")


def django_asgi_server(model: ProjectModel, path: str) -> EntryPoint | None:
    """The production command that serves the Django project of ``path`` over ASGI, when every
    production server command of its service does: one whose target is the project's ``asgi``
    module (``uvicorn proj.asgi:application``, ``daphne proj.asgi:application``, ``gunicorn
    proj.asgi:application -k uvicorn.workers.UvicornWorker``), and none that serves its ``wsgi``
    module (``gunicorn proj.wsgi``, uWSGI). Under ASGI Django closes its connection after every
    request and its documentation says persistent connections (``CONN_MAX_AGE``) should be
    disabled; the pool it recommends instead is the backend's own (``OPTIONS["pool"]``, Django
    5.1+ with psycopg 3) or an external one (PgBouncer)."""
    asgi: EntryPoint | None = None
    for entry in model.all(EntryPoint):
        # the command's package holds the settings (a sibling service's command serves another app)
        if entry.role != "production" or not under(model.services.package_root(entry.loc.file), path):
            continue
        if _WSGI_COMMAND.search(entry.command):
            return None
        if any(
            t.startswith("py:") and t.split(":", 1)[1].rsplit(".", 1)[-1] == "asgi" for t in entry.targets
        ) or (_ASGI_WORKER.search(entry.command)):
            asgi = asgi or entry
    return asgi or _lambda_asgi(model, path)


def _lambda_asgi(model: ProjectModel, path: str) -> EntryPoint | None:
    """The Django project's ``asgi`` module handed to an AWS Lambda adapter (``handler =
    Mangum(get_asgi_application())``): the function serves every request over ASGI. An
    :class:`EntryPoint` citing the adapter's line, or ``None``."""
    root = model.services.package_root(path)
    for f in model.files:
        if not f.path.endswith("asgi.py") or not under(root, f.path) or not model.role(f.path).production:
            continue
        lines = model.source_lines(f.path)
        if not any("get_asgi_application" in line for line in lines):
            continue
        for idx, line in enumerate(lines, start=1):
            if re.search(r"\bMangum\s*\(", line):
                return EntryPoint(Loc(f.path, idx, idx), "lambda", "Mangum", line.strip()[:200], "production")
    return None


#: a gunicorn worker class that runs each request in a greenlet (``-k gevent``,
#: ``--worker-class=eventlet``, ``worker_class = "gevent"``)
_GREEN_WORKER = re.compile(r"(?:-k[=\s]*|--worker-class[=\s]+)['\"]?(gevent|eventlet)\b")


def django_green_server(model: ProjectModel, path: str) -> EntryPoint | None:
    """The production command that serves the Django project of ``path`` with gunicorn's
    gevent or eventlet workers. Each request runs in its own greenlet, which Django's
    connection handling treats as a thread: a persistent connection (``CONN_MAX_AGE``) belongs
    to the greenlet that opened it, so it is never reused by the next request and lingers until
    it is collected (Django's documentation: persistent connections are per thread; the
    greenlet libraries' own advice is a pool such as PgBouncer)."""
    reloading: EntryPoint | None = None
    for entry in model.all(EntryPoint):
        if not under(model.services.package_root(entry.loc.file), path):
            continue
        if entry.role != "production":
            # a start script production runs (only those are kept), or a production Dockerfile,
            # whose server line says ``--reload`` (read as a development flag) still starts
            # production's server
            if (
                entry.role == "dev-only"
                and (
                    entry.source == "script"
                    or (entry.source == "dockerfile" and model.role(entry.loc.file).production)
                )
                and not _RUNSERVER.search(entry.command)
                and _green(model, entry)
            ):
                reloading = reloading or entry
            continue
        if _green(model, entry):
            return entry
    return reloading


def _green(model: ProjectModel, entry: EntryPoint) -> bool:
    """Whether the command runs greenlet workers: ``-k gevent``/``-kgevent``/``--worker-class
    eventlet``, or gunicorn with a config module that sets or patches for them: the one
    ``-c``/``--config`` names, else the ``gunicorn.conf.py`` gunicorn reads from its working
    folder by default (beside the file that declares the command, or the tree's only one)."""
    if _GREEN_WORKER.search(entry.command):
        return True
    if not _GUNICORN.search(entry.command):
        return False
    conf = _GUNICORN_CONF.search(entry.command)
    written = conf.group(1) if conf else "gunicorn.conf.py"
    return any(_GREEN_CONF.match(line) for line in model.source_lines(_config_file(model, entry, written)))


_GUNICORN = re.compile(r"\bgunicorn\b")


def _config_file(model: ProjectModel, entry: EntryPoint, written: str) -> str:
    """The scanned file a command's ``-c gunicorn.conf.py`` names: beside the file that
    declares the command, else the tree's only file of that name (a Kubernetes manifest in
    ``openshift/`` naming ``gunicorn.ocp4.cfg``, which the image's working folder holds)."""
    folder = entry.loc.file.rpartition("/")[0]
    target = posixpath.normpath(f"{folder}/{written}" if folder else written)
    paths = {f.path for f in model.files}
    if target in paths:
        return target
    name = written.rsplit("/", 1)[-1]
    found = [p for p in paths if p == name or p.endswith("/" + name)]
    return found[0] if len(found) == 1 else target


#: ``-c gunicorn.conf.py`` / ``--config=conf/gunicorn.py``: the config module a command loads
_GUNICORN_CONF = re.compile(r"(?:-c|--config)[=\s]+['\"]?(?:python:)?([\w./-]+\.(?:py|cfg|conf))\b")
#: ``worker_class = "gevent"`` in a gunicorn config module, or the config patching the driver
#: or the standard library for greenlets (``from psycogreen.gevent import patch_psycopg`` in a
#: ``post_fork`` hook), which only a gevent/eventlet deployment does: the worker class is then
#: given outside the repository (``GUNICORN_CMD_ARGS``)
_GREEN_CONF = re.compile(
    r"\s*(?:worker_class\s*=\s*['\"](?:gevent|eventlet)['\"]"
    r"|from\s+psycogreen\.(?:gevent|eventlet)\s+import|import\s+psycogreen\.(?:gevent|eventlet)"
    r"|from\s+gevent\s+import\s+monkey|import\s+gevent\.monkey)"
)


_RUNSERVER = re.compile(r"\brunserver\w*")
# production commands that serve no HTTP request (task workers, schedulers, management commands)
_NOT_A_SERVER = re.compile(
    r"\b(?:celery|rq|rqworker|dramatiq|huey|arq|flower|qcluster)\b|manage\.py\s+(?!runserver)[\w-]+"
    r"|django-admin\s+(?!runserver)[\w-]+"
)
_DEPLOY_SOURCES = frozenset({"dockerfile", "compose", "procfile", "systemd", "script"})
# a start script's housekeeping lines: file and package tools, which start no server
_UTILITY = re.compile(
    r"^(?:sudo\s+)?(?:sed|cp|mv|rm|mkdir|chmod|chown|ln|touch|echo|printf|cat|tar|curl|wget|git"
    r"|apt-get|apt|apk|yum|dnf|find|(?:python3?\s+-m\s+)?pip3?)\s"
)


def django_dev_server(model: ProjectModel, path: str) -> EntryPoint | None:
    """The deployment command that serves the Django project of ``path`` with ``manage.py
    runserver``, when every command that serves it does: a Dockerfile ``CMD``, a compose
    ``command`` or a Procfile line of the project's package, in a file that is not itself
    development-only, runs ``runserver``, and no other deployment command of that package
    serves requests (a Celery worker or beat does not; an unknown command might). Django's
    development server runs each request in a new thread and a persistent connection belongs
    to its thread, so ``CONN_MAX_AGE`` does not carry over between requests there (Django's
    documentation: the development server creates a new thread for each request, which
    negates persistent connections); a real deployment runs gunicorn or uWSGI."""
    found: EntryPoint | None = None
    entries = model.all(EntryPoint)
    scripts = [f.path for f in model.files if f.language == "shell"]
    contexts = build_contexts(model.all(Service))
    serving = {
        e.loc.file
        for e in entries
        if e.source == "script" and (_RUNSERVER.search(e.command) or _SERVER_COMMAND.search(e.command))
    }
    for entry in entries:
        if entry.source not in _DEPLOY_SOURCES or not under(
            model.services.package_root(entry.loc.file), path
        ):
            continue
        if _image_without(entry, path, contexts):
            continue
        if _RUNSERVER.search(entry.command):
            if entry.role != "test" and model.role(entry.loc.file).production:
                found = found or entry
            continue
        if entry.role != "test" and _SERVER_COMMAND.search(entry.command):
            return None  # gunicorn or uWSGI serves it, even one started with ``--reload``
        if (
            entry.role == "production"
            and not _NOT_A_SERVER.search(entry.command)
            and not (entry.source == "script" and _UTILITY.match(entry.command))
        ):
            run = scripts_run_by(entry, scripts, contexts)
            rest = entry.command
            for target in entry.targets:
                rest = rest.replace(target, " ")
            if any(s in serving for s in run) and not _SERVER_COMMAND.search(rest):
                # ``CMD /app/docker/entrypoint /app/docker/start``: what it serves with is
                # what those scripts run, each a command of its own here, when one of them
                # shows a server (a script that only migrates leaves it unknown; a server the
                # command itself names, ``/entrypoint.sh gunicorn app.wsgi``, still counts)
                continue
            if run and not _SERVER_COMMAND.search(rest) and _starts_workers_only(model, run):
                continue  # a worker container's start script (its commands built in strings)
            return None  # gunicorn, uWSGI, an ASGI server, or a script that may start one
    return found


def _image_without(entry: EntryPoint, path: str, contexts: dict[tuple[str, str], str]) -> bool:
    """Whether ``entry`` runs in an image whose build context (a compose service's ``build``)
    does not hold ``path``: a build copies files only from its context, so such a container
    (``build: ./certs`` beside the project in ``web/``) cannot run that code."""
    if entry.source == "compose":
        context = contexts.get((entry.loc.file, entry.name), "")
    elif entry.source == "dockerfile":
        folder = posixpath.dirname(entry.loc.file)
        holding = [c for c in contexts.values() if under("" if c == "." else c, folder)]
        context = max(holding, key=len) if holding else ""
    else:
        return False
    return bool(context) and context != "." and not under(context, path)


_TASK_WORKER = re.compile(r"\b(?:celery|rq|dramatiq|huey|arq)\b[^\n]*\bworker\b|\brqworker\b")


def _starts_workers_only(model: ProjectModel, scripts: list[str]) -> bool:
    """Whether the text of ``scripts`` (start scripts a deployment command runs) names a task
    worker (``celery -A proj worker``) and no HTTP server anywhere, comments left out: a
    worker container's script may assemble its commands in strings and ``eval`` them, so its
    command lines say nothing, yet a script that never names a server starts none."""
    text = "\n".join(
        line for path in scripts for line in model.source_lines(path) if not line.lstrip().startswith("#")
    )
    return bool(_TASK_WORKER.search(text)) and not _SERVER_COMMAND.search(text)


def declares_psycopg3(model: ProjectModel, path: str) -> bool:
    """Whether the package of ``path`` (or one above it) declares psycopg 3 for production: the
    driver Django's built-in pool (``OPTIONS["pool"]``) needs."""
    psycopg3 = {"psycopg", "psycopg-binary", "psycopg-c", "psycopg-pool"}
    return any(item.name.lower().split("[", 1)[0] in psycopg3 for item in _production_stack(model, path))


def django_before(model: ProjectModel, path: str, release: tuple[int, int]) -> str:
    """The Django version the package of ``path`` installs, as written (``==4.2.21`` from its
    lock file, else the requirement ``~=4.2.21``), when every version it allows is older than
    ``release``; ``""`` when a version of ``release`` or later may run, or nothing says."""
    specs = [
        f"=={v.version}"
        for v in model.all(LockedVersion)
        if v.name == "django" and v.scope == "production" and _governs(v.loc.file, path)
    ]
    if not specs:  # no lock file: the requirement's range
        specs = [
            item.version
            for item in _production_stack(model, path)
            if item.name.lower() == "django" and item.kind == "framework"
        ]
    caps = [version_cap(spec) for spec in specs]
    if specs and all(cap is not None and cap <= release for cap in caps):
        return specs[0]
    return ""


_RELEASE = re.compile(r"(\d+)(?:\.(\d+|\*))?(?:\.(\d+|\*))?")


def version_cap(spec: str) -> tuple[int, int] | None:
    """The exclusive ``(major, minor)`` bound of the versions a requirement allows, or ``None``
    when it allows every later release. ``==4.2.21``/``4.2.21``/``4.2.*`` -> (4, 3);
    ``~=4.2.21`` -> (4, 3); ``~=4.2`` and poetry's ``^4.2`` -> (5, 0); poetry's ``~4.2`` ->
    (4, 3); ``<5.0`` -> (5, 0); ``<=5.0.3`` -> (5, 1); ``>=4.2`` -> None."""
    best: tuple[int, int] | None = None
    for clause in spec.replace(" ", "").split(","):
        op = re.match(r"(===|==|~=|<=|<|\^|~|>=|>|!=)?", clause)
        m = _RELEASE.match(clause, op.end() if op else 0)
        if m is None:
            continue
        kind = op.group(1) if op else None
        major = int(m.group(1))
        minor = int(m.group(2)) if m.group(2) and m.group(2) != "*" else None
        cap: tuple[int, int] | None
        if kind in (None, "==", "==="):
            cap = (major + 1, 0) if minor is None else (major, minor + 1)
        elif kind == "~=":
            cap = (major, (minor or 0) + 1) if m.group(3) else (major + 1, 0)
        elif kind == "^":
            cap = (major + 1, 0) if major > 0 else (0, (minor or 0) + 1)
        elif kind == "~":
            cap = (major + 1, 0) if minor is None else (major, minor + 1)
        elif kind == "<":
            cap = (major, minor or 0) if m.group(3) in (None, "0") else (major, (minor or 0) + 1)
        elif kind == "<=":
            cap = (major, (minor or 0) + 1)
        else:
            continue  # a lower bound or an exclusion caps nothing
        best = cap if best is None else min(best, cap)
    return best


# --------------------------------------------------------------------------- who uses a client


def no_route_uses(model: ProjectModel, client: DbClient) -> str:
    """Why no request is shown to run on ``client``, or ``""``: the project registers routes
    (a Next.js page counts: see :attr:`ProjectModel.route_files`), yet no file that registers
    them imports the client's module, directly or through other modules (a Kafka consumer's or
    a cron job's own client, a module nothing imports). A Django ``DATABASES`` entry serves the
    project's Python routes (settings are loaded by name, not imported)."""
    routes = model.routes
    if not routes and not model.route_files:
        return ""  # no route recognised anywhere: nothing to compare with
    if client.library == "django":
        return "" if any(r.loc.file.endswith(".py") for r in routes) else "no Django route uses it"
    if model.route_importer(client.loc.file) is not None:
        return ""
    return "no file that registers the project's routes imports it, directly or through other modules"


#: workflow orchestrators: a module importing one defines scheduled batch work (DAGs, assets,
#: flows), which serves no request
_ORCHESTRATOR = re.compile(r"^(airflow|dagster|prefect|luigi)(?:\.|$)")


def orchestrated(model: ProjectModel, client: DbClient) -> str:
    """The workflow orchestrator whose batch code is the only production code that runs
    ``client``: the client's module imports Airflow, Dagster, Prefect or Luigi, or every
    production module that imports the client's module does (a DAG folder's shared ``db.py``).
    A long statement there stalls a scheduled task, not a request. ``""`` otherwise."""
    by_file: dict[str, str] = {}
    for imp in model.all(Import):
        m = _ORCHESTRATOR.match(imp.module)
        if m:
            by_file.setdefault(imp.loc.file, m.group(1))
    if not by_file:
        return ""
    path = client.loc.file
    if path in by_file:
        return by_file[path]
    # an Airflow DAG file is loaded by the scheduler from its folder, not imported: it counts
    # as code that runs even when nothing imports it
    importers = [
        f for f in model.roles.importers.get(path, ()) if model.role(f).kind in {"production", "unimported"}
    ]
    if importers and all(f in by_file for f in importers):
        return by_file[sorted(importers)[0]]
    return ""


#: Python packages and modules that serve requests (web frameworks, HTTP/WSGI/ASGI servers,
#: RPC and socket servers, the standard library's servers): a package that declares or imports
#: none of them answers no request
_SERVING_PY = frozenset(
    {
        "fastapi", "flask", "django", "djangorestframework", "starlette", "litestar", "sanic",
        "aiohttp", "tornado", "falcon", "bottle", "pyramid", "cherrypy", "quart", "connexion",
        "twisted", "grpc", "grpcio", "websockets", "socketio", "python-socketio", "channels",
        "gunicorn", "uvicorn", "hypercorn", "daphne", "uwsgi", "waitress", "granian", "werkzeug",
        "http", "socketserver", "wsgiref", "xmlrpc", "zmq", "pyzmq", "nameko", "hug", "responder",
        "blacksheep", "robyn", "emmett", "masonite", "web", "dash", "streamlit", "gradio",
    }
)  # fmt: skip


def batch_program(model: ProjectModel, client: DbClient) -> str:
    """Why the Python program that builds ``client`` answers no request, as a clause, or
    ``""``: the project registers no route, the client's package declares its dependencies and
    none of them, nor any module the project imports, is a web framework or a server (HTTP,
    RPC, sockets, the standard library's), and no deployment command starts a server. The
    program is a batch run (a loader, an ETL, a CLI), where a long query holds up that run,
    not users waiting on a response."""
    if not client.loc.file.endswith(".py") or model.all(Route) or model.route_files:
        return ""
    declared = [item for item in _production_stack(model, client.loc.file) if item.ecosystem == "python"]
    if not declared:
        return ""  # the package's dependencies are not visible: nothing says what it runs
    if any(item.kind in {"framework", "server"} or item.name.lower() in _SERVING_PY for item in declared):
        return ""
    for imp in model.all(Import):
        if imp.loc.file.endswith(".py") and imp.module.split(".", 1)[0] in _SERVING_PY:
            return ""
    for entry in model.all(EntryPoint):
        if entry.role == "production" and _SERVER_COMMAND.search(entry.command):
            return ""
    return (
        "the project registers no route, and neither its package's dependencies nor its imports "
        "include a web framework or a server: a batch program, where a long query holds up that "
        "run, not requests users wait on"
    )


_SERVER_COMMAND = re.compile(
    r"\b(?:gunicorn|uvicorn|hypercorn|daphne|uwsgi|waitress-serve|granian|runserver)\b"
)


def serves_no_requests(model: ProjectModel, client: DbClient) -> str:
    """The package (``services/cronjobs/x``) of a client that only a process without routes
    runs: its package root runs something of its own (a start script, a worker) yet registers
    no route users call (a worker's ``/health`` or ``/metrics`` probes do not count), the
    project does have routes elsewhere, and no other package imports it by name. ``""`` when
    the client may serve requests (or nothing says). A Next.js page registers a route by its
    path (:attr:`ProjectModel.route_files`)."""
    routes = model.all(Route)
    if not routes and not model.route_files:
        return ""
    services = model.services
    root = services.package_root(client.loc.file)
    if not root or root not in services.service_roots:
        return ""
    # a worker's own probes (``/health``, ``/metrics``, a heap snapshot) serve no user request
    if any(services.package_root(path) == root for path in model.route_files):
        return ""
    name = services.manifest(root).get("name")
    if isinstance(name, str) and name:
        for imp in model.all(Import):
            outside = not imp.loc.file.startswith(root + "/")
            if outside and (imp.module == name or imp.module.startswith(name + "/")):
                return ""
    return root


def unserved(model: ProjectModel, client: DbClient) -> str:
    """Why no request is shown to use ``client``, or ``""``: its package is a process without
    routes (:func:`serves_no_requests`), no route file imports its module (:func:`no_route_uses`),
    or it is built inside a function that no route handler (within :data:`MAX_CALL_DEPTH`
    calls, the reach every rule uses) and no request hook reaches, and that no module-level
    code calls (a Celery task's engine factory in a package that routes also import): its
    connections are opened by jobs and workers, whose count bounds them, not by requests."""
    if root := serves_no_requests(model, client):
        return f"it belongs to {root}, a process that serves no requests"
    if why := no_route_uses(model, client):
        return why
    if client.function_id is None or not model.route_files:
        return ""
    fn = model.functions.get(client.function_id)
    if fn is None or not fn.name or fn.name.startswith("<"):
        return ""
    if model.routes_reaching(fn.id) or model.hook_reaching(fn.id) is not None:
        return ""
    if _called_outside_functions(model, fn.name, fn.loc.file, fn.loc.line):
        return ""
    return (
        f"no route handler or request hook reaches `{fn.name}`, the function that builds it, within "
        f"{MAX_CALL_DEPTH} calls"
    )


def only_jobs_build(model: ProjectModel, client: DbClient) -> str:
    """The function that builds ``client``, by name, when only background work runs it: a task,
    actor, scheduled job or queue processor reaches it (:attr:`ProjectModel.job_reach`), no
    route handler or request hook does, and no module-level code calls it. Its connections
    serve that job (an ingest, a sync), where a long statement stalls the job, not the requests
    users wait on. ``""`` otherwise (a module-level client, or one any request may use)."""
    if client.function_id is None:
        return ""
    fn = model.functions.get(client.function_id)
    if fn is None or not fn.name or fn.name.startswith("<") or fn.id not in model.job_reach:
        return ""
    if model.routes_reaching(fn.id) or model.hook_reaching(fn.id) is not None:
        return ""
    if _called_outside_functions(model, fn.name, fn.loc.file, fn.loc.line):
        return ""
    return fn.name


def _called_outside_functions(model: ProjectModel, name: str, home: str, def_line: int) -> bool:
    """Whether code outside any function calls ``name`` (``engine = make_engine()`` at module
    level): in its own file or in a file importing that name. Such a call runs at import, so
    whoever imports that module uses what it returns."""
    files = {home} | {imp.loc.file for imp in model.all(Import) if name in {imp.name, imp.local}}
    call = re.compile(rf"(?<![\w$.]){re.escape(name)}\s*\(")
    spans: dict[str, list[tuple[int, int]]] = {f: [] for f in files}
    for other in model.functions.values():
        if other.loc.file in spans:
            spans[other.loc.file].append((other.loc.line, other.loc.end_line or other.loc.line))
    for path in sorted(files):
        if not model.role(path).production:
            continue
        for idx, text in enumerate(model.source_lines(path), start=1):
            if (path == home and idx == def_line) or not call.search(text):
                continue
            if re.match(rf"\s*(?:export\s+)?(?:async\s+)?(?:def|function)\s+{re.escape(name)}\b", text):
                continue  # its definition
            if not any(start <= idx <= end for start, end in spans[path]):
                return True
    return False


# --------------------------------------------------------------------------- Cloudflare Hyperdrive


def hyperdrive(model: ProjectModel, client: DbClient) -> str:
    """The Hyperdrive connection string a client is built from, as written, or ``""``.

    Cloudflare Hyperdrive is a managed connection pooler in front of PostgreSQL: a Worker reads
    its connection string from a binding the wrangler configuration declares (``hyperdrive:
    [{ binding: "HYPERDRIVE", ... }]``) as ``env.HYPERDRIVE.connectionString``. The client's
    target is that expression, or a parameter of the function that builds it (``createDb(url)``)
    when every call of that function in the project passes it (``createDb(env.HYPERDRIVE.
    connectionString)``)."""
    bindings = sorted({b.name for b in model.all(PlatformBinding) if b.kind == "hyperdrive"})
    if not bindings:
        return ""
    names = "|".join(re.escape(b) for b in bindings)
    binding = re.compile(rf"(?<![\w$])(?:[\w$]+\??\.)*(?:{names})\??\.connectionString(?![\w$])")
    target = client.target or option(client.options, "connectionString") or ""
    if m := binding.search(target):
        return m.group(0)
    if client.function_id is None or not re.fullmatch(r"[A-Za-z_$][\w$]*", target.strip()):
        return ""
    fn = model.functions.get(client.function_id)
    if fn is None or not fn.name or fn.name.startswith("<"):
        return ""
    params = [p.lstrip("*&.").split(":", 1)[0].split("=", 1)[0].strip().rstrip("?") for p in fn.params]
    if target.strip() not in params:
        return ""
    index = params.index(target.strip())
    files = {fn.loc.file} | {imp.loc.file for imp in model.all(Import) if fn.name in {imp.name, imp.local}}
    call = re.compile(rf"(?<![\w$.]){re.escape(fn.name)}\s*\(")
    passed: list[str] = []
    for path in sorted(files):
        text = "\n".join(model.source_lines(path))
        for m in call.finditer(text):
            line_start = text.rfind("\n", 0, m.start()) + 1
            if re.search(r"\bfunction\s*$", text[line_start : m.start()]):
                continue  # its definition
            args = _call_arguments(text, m.end())
            if args is None:
                continue
            if index >= len(args) or not binding.fullmatch(args[index].strip()):
                return ""  # a call passing something else: not only Hyperdrive
            passed.append(args[index].strip())
    return passed[0] if passed else ""


def _call_arguments(text: str, start: int) -> list[str] | None:
    """The top-level arguments of a call whose ``(`` ends just before ``start``; ``None`` when
    the parentheses do not close (a declaration's parameter list reads the same: callers check)."""
    depth, quote = 0, ""
    args: list[str] = []
    current: list[str] = []
    for i in range(start, min(len(text), start + 2000)):
        ch = text[i]
        if quote:
            current.append(ch)
            if ch == quote and text[i - 1] != "\\":
                quote = ""
            continue
        if ch in "'\"`":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0:
                args.append("".join(current))
                return [a for a in args if a.strip()]
            depth -= 1
        elif ch == "," and depth == 0:
            args.append("".join(current))
            current = []
            continue
        current.append(ch)
    return None
