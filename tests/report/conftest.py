"""Hand-built reports for the renderer golden tests (no scan runs here: renderers only format).

``rich_report`` covers every branch a renderer has: all severities, several categories, a
security finding (SARIF security-severity), a fix snippet and related evidence, a finding
grouped from three places of one cause, Markdown- and rich-markup-significant characters in
messages, an excerpt whose secret the engine already redacted, more than ten skipped files,
notices of each kind, key files and an instance count.
"""

from __future__ import annotations

import pytest

from scalescope.report.model import Evidence, Finding, Notice, RuleInfo, ScanReport, SkippedFile
from scalescope.report.render import RenderOptions


def _help(title: str, what: str, why: str, example: str, instead: str, lang: str = "ts") -> str:
    return (
        f"{title}\n\n## What it finds\n{what}\n\n## Why it matters at scale\n{why}\n\n"
        f"## Example\n```{lang}\n{example}\n```\n\n## Use instead\n```{lang}\n{instead}\n```"
    )


def _rule(
    rid: str,
    name: str,
    category: str,
    severity: str,
    title: str,
    what: str,
    effort: str,
    confidence: str = "high",
    lang: str = "ts",
) -> RuleInfo:
    return RuleInfo(
        id=rid,
        name=name,
        category=category,
        severity=severity,
        title=title,
        summary=what,
        help_markdown=_help(title, what, "It grows with traffic.", "bad()", "good()", lang),
        effort=effort,
        confidence=confidence,
        references=(f"https://example.org/{name}",),
    )


RULES = (
    _rule(
        "SC-ASYNC-002",
        "slow-work-in-request",
        "async-processing",
        "medium",
        "Slow work done inside the request",
        "Email and PDF work run inside request handlers.",
        "weeks",
    ),
    _rule(
        "SC-AVAIL-003",
        "shallow-health-check",
        "availability",
        "medium",
        "Health check does not check dependencies",
        "Health endpoints that return 200 without checking the database.",
        "hours",
        "medium",
        "python",
    ),
    _rule(
        "SC-CACHE-007",
        "redis-without-maxmemory",
        "caching",
        "medium",
        "Redis server without maxmemory or with noeviction",
        "Redis services with no maxmemory.",
        "hours",
        lang="yaml",
    ),
    _rule(
        "SC-DB-001",
        "unconfigured-connection-pool",
        "database",
        "high",
        "Connection pool left at library defaults",
        "Database clients whose pool size is unset.",
        "hours",
    ),
    _rule(
        "SC-DB-003",
        "n-plus-one-query",
        "database",
        "high",
        "Query inside a loop (N+1 queries)",
        "Queries run once per item of a loop.",
        "days",
        lang="python",
    ),
    _rule(
        "SC-DB-004",
        "unbounded-list-query",
        "database",
        "high",
        "Unbounded list query reachable from a route",
        "List queries with no limit reachable from a route.",
        "hours",
    ),
    _rule(
        "SC-DB-006",
        "unindexed-filter-or-sort",
        "database",
        "medium",
        "Query filters or sorts on a column without an index",
        "Queries filtering on a column no index leads.",
        "hours",
        "medium",
    ),
    _rule(
        "SC-INFRA-002",
        "single-replica-service",
        "infrastructure",
        "info",
        "Service declared with one replica",
        "Compose services with no replicas set.",
        "hours",
        lang="yaml",
    ),
    _rule(
        "SC-OBS-001",
        "no-request-logging",
        "observability",
        "low",
        "No request logging middleware",
        "Apps with no access-log middleware.",
        "days",
        "low",
    ),
    _rule(
        "SC-RATE-001",
        "in-memory-rate-limit-store",
        "rate-limiting",
        "high",
        "In-memory rate-limit store",
        "Rate limiters that keep counters in process memory.",
        "hours",
    ),
    _rule(
        "SC-SEC-003",
        "credential-in-compose-file",
        "security",
        "high",
        "Credential committed in a compose file",
        "Literal passwords in compose environments.",
        "hours",
        lang="yaml",
    ),
)


def _finding(
    rule: RuleInfo,
    severity: str,
    file: str,
    line: int,
    message: str,
    excerpt: str,
    recommendation: str,
    impact: str,
    end_line: int = 0,
    **extra: object,
) -> Finding:
    return Finding(
        rule=rule.id,
        rule_name=rule.name,
        category=rule.category,
        severity=severity,
        title=rule.title,
        message=message,
        file=file,
        line=line,
        end_line=max(end_line, line),
        excerpt=excerpt,
        recommendation=recommendation,
        effort=str(extra.pop("effort", rule.effort)),
        confidence=str(extra.pop("confidence", rule.confidence)),
        fingerprint=f"{rule.id.lower()}-{line:04d}",
        impact=impact,
        **extra,  # type: ignore[arg-type]
    )


R = {r.id: r for r in RULES}

FINDINGS = (
    _finding(
        R["SC-RATE-001"],
        "critical",
        "src/app.ts",
        14,
        "express-rate-limit uses its default MemoryStore while 4 instances run: each instance "
        "counts on its own, so the real limit is 4 x 100 requests [per window].",
        "app.use(rateLimit({\n  windowMs: 60_000,\n  max: 100,\n}));",
        "Give the limiter a shared store (rate-limit-redis) so every instance counts together.",
        "Limits multiply with instances and reset on every deploy.",
        end_line=17,
        fix_snippet="app.use(rateLimit({\n  windowMs: 60_000,\n  max: 100,\n"
        "  store: new RedisStore({ sendCommand: (...args) => redis.call(...args) }),\n}));",
        fix_language="ts",
        scope="setting",
        reach="app",
    ),
    _finding(
        R["SC-DB-004"],
        "high",
        "src/routes/orders.ts",
        21,
        "prisma.order.findMany() in <anonymous> (GET /orders at src/routes/orders.ts:20) has no "
        "`take`: every order is loaded | serialised on each request.",
        "const orders = await prisma.order.findMany({\n  where: { customerId },\n});",
        "Page the query with `take` and a cursor on an indexed column (Prisma).",
        "Response size, memory and query time grow with the table; one large tenant stalls the pool.",
        end_line=23,
        fix_snippet="const orders = await prisma.order.findMany({\n  where: { customerId },\n"
        "  take: 50,\n  cursor: after ? { id: after } : undefined,\n  orderBy: { id: 'asc' },\n});",
        fix_language="ts",
        related=(
            Evidence("prisma/schema.prisma", 40, "Order.customerId has no @@index"),
            Evidence("src/routes/orders.ts", 20, "route GET /orders"),
        ),
        scope="local",
        reach="public",
        routes=("GET /orders",),
    ),
    _finding(
        R["SC-DB-003"],
        "high",
        "src/billing/invoices.py",
        42,
        "session.query(LineItem) runs once per invoice of the for loop at line 41: 1 + N "
        "queries (SQLAlchemy), e.g. for a_b*c in invoices.",
        "for invoice in invoices:\n"
        "    items = session.query(LineItem).filter_by(invoice_id=invoice.id).all()",
        "Load the items with the invoices: `selectinload(Invoice.items)` on the parent query.",
        "Round trips grow with the collection size; pooled connections are held per item.",
        fix_snippet="invoices = session.query(Invoice).options(selectinload(Invoice.items)).all()",
        fix_language="python",
        confidence="medium",
        scope="local",
        reach="job",
    ),
    _finding(
        R["SC-DB-006"],
        "medium",
        "src/routes/orders.ts",
        48,
        "prisma.order.findMany() (Prisma) filters on `status`, reached from GET /orders "
        "(src/routes/orders.ts:20), but no index of Order (prisma/schema.prisma:40) starts with "
        "`status`: each call scans the whole `Order` table. Same cause in 3 places.",
        "const open = await prisma.order.findMany({ where: { status: 'open' } });",
        "Add `@@index([status])` to model Order and run `prisma migrate dev`.",
        "Every call scans the whole table; latency and database CPU grow linearly with rows.",
        places=3,
        related=(
            Evidence(
                "src/admin/report.ts",
                12,
                "prisma.order.count() (Prisma) filters on `status`, GET /admin/report (src/app.ts:30)",
                "place",
            ),
            Evidence(
                "src/jobs/cleanup.ts", 7, "prisma.order.findMany() (Prisma) filters on `status`", "place"
            ),
            Evidence("prisma/schema.prisma", 40, "model Order defined here without an index on status"),
        ),
        scope="migration",
        effort="days",
        reach="public",
        routes=("GET /orders", "GET /admin/report"),
    ),
    _finding(
        R["SC-SEC-003"],
        "high",
        "docker-compose.yml",
        12,
        "Service 'db' sets POSTGRES_PASSWORD to a literal value in docker-compose.yml.",
        "environment:\n  POSTGRES_PASSWORD: ***",
        "Read the password from an env file or a secret: POSTGRES_PASSWORD_FILE=/run/secrets/db.",
        "Anyone with the repository can reach the database; rotating the password needs a deploy.",
        scope="setting",
        reach="app",
    ),
    _finding(
        R["SC-ASYNC-002"],
        "medium",
        "src/routes/invoices.ts",
        33,
        "generatePdf() and mailer.sendMail() run inside POST /invoices before the response.",
        "await generatePdf(invoice);\nawait mailer.sendMail(message);",
        "Enqueue a job (BullMQ) and return 202; a worker renders and sends.",
        "Request latency includes the slowest side effect; a slow SMTP server fills every worker.",
        end_line=34,
        scope="redesign",
        reach="public",
        routes=("POST /invoices",),
    ),
    _finding(
        R["SC-AVAIL-003"],
        "medium",
        "src/health.py",
        8,
        "GET /healthz returns 200 without touching the database or Redis.",
        '@app.get("/healthz")\ndef healthz():\n    return {"ok": True}',
        "Check the database (SELECT 1) and Redis (PING) with a short timeout in the readiness probe.",
        "The load balancer keeps sending traffic to instances whose database is gone.",
        end_line=10,
        scope="local",
        reach="admin",
        routes=("GET /admin/healthz",),
    ),
    _finding(
        R["SC-CACHE-007"],
        "medium",
        "docker-compose.yml",
        19,
        "Redis service 'cache' (redis:7) sets no maxmemory.",
        "cache:\n  image: redis:7",
        "Set maxmemory below the container limit and an eviction policy (allkeys-lru for a cache).",
        "Redis grows until it is OOM-killed, or refuses writes when full.",
        end_line=20,
        fix_snippet="command: redis-server --maxmemory 512mb --maxmemory-policy allkeys-lru",
        fix_language="yaml",
        scope="setting",
        reach="app",
    ),
    _finding(
        R["SC-OBS-001"],
        "low",
        "src/app.ts",
        5,
        "The Express app has no request logging middleware (morgan, pino-http).",
        "const app = express();",
        "Add pino-http with a request id so slow requests can be traced.",
        "Slow requests cannot be found after the fact.",
        scope="files",
        reach="offline",
    ),
    _finding(
        R["SC-INFRA-002"],
        "info",
        "docker-compose.yml",
        3,
        "Service 'api' declares no replicas.",
        "api:\n  build: .",
        "Set deploy.replicas (or scale in the orchestrator) once the app is stateless.",
        "One instance is one failure domain.",
    ),
)


def _rich_report() -> ScanReport:
    skipped = tuple(
        [SkippedFile(f"public/vendor/lib{i:02d}.min.js", "minified") for i in range(9)]
        + [
            SkippedFile("assets/logo.png", "binary"),
            SkippedFile("data/dump.sql", "over 2 MiB"),
            SkippedFile("legacy/latin.py", "not UTF-8"),
        ]
    )
    return ScanReport(
        root="shop-api",
        stack={"cache": ["redis"], "framework": ["express", "fastapi"], "orm": ["prisma", "sqlalchemy"]},
        findings=tuple(sorted(FINDINGS, key=lambda f: f.sort_key)),
        skipped=skipped,
        rules=RULES,
        files_scanned=142,
        lines_scanned=18233,
        suppressed=2,
        notices=(
            Notice("src/jobs.ts", 7, "unused suppression: ignore[SC-DB-004] suppresses nothing"),
            Notice("src/legacy.ts", 0, "extractor error: RecursionError: maximum recursion depth"),
            Notice("", 0, "31 test files not scanned (--include-tests scans them)"),
        ),
        key_files=(
            "docker-compose.yml",
            "src/routes/orders.ts",
            "src/app.ts",
            "src/billing/invoices.py",
            "src/routes/invoices.ts",
            "src/health.py",
        ),
        instances=4,
        duration_s=1.234,
    )


def _empty_report() -> ScanReport:
    return ScanReport(
        root="tiny-api",
        stack={"framework": ["fastapi"]},
        findings=(),
        rules=RULES[:3],
        files_scanned=3,
        lines_scanned=41,
        duration_s=0.05,
    )


@pytest.fixture
def rich_report() -> ScanReport:
    return _rich_report()


@pytest.fixture
def empty_report() -> ScanReport:
    return _empty_report()


@pytest.fixture
def options() -> RenderOptions:
    return RenderOptions(version="0.1.0", generated_at="2024-05-01T12:00:00Z", width=100, color=False)
