"""SC-DB-007 deep-nested-include."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from scalescope.model.facts import DataAccess
from scalescope.model.project import ProjectModel
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.database._fixes import include_depth_fix
from scalescope.scan.rules.database._helpers import (
    WRITE_METHODS,
    describe,
    orm_label,
    route_label,
)

MAX_DEPTH = 3
MAX_DEPTH_ONE = 4  # single-row reads (findUnique/findOne) get one more level
MAX_SIBLINGS = 4


class DeepNestedInclude(Rule):
    """A list query eagerly loads a deep or wide tree of relations.

    ## What it finds
    A read-many query whose eager loading (`include`/`select` relations, `relations`,
    `leftJoinAndSelect`, `populate`, `with`, `prefetch_related`) is three or more levels deep
    (`posts.comments.author`), or loads four or more relations at one level; or a single-row
    read (`findUnique`, `findOne`) whose includes are four or more levels deep (every has-many
    level still multiplies the rows). One or two levels of includes, three levels under a
    single row and `_count` selections do not fire. Relations loaded by one query per level
    (`prefetch_related`, `selectinload`, Sequelize `separate: true`) are reported at low
    confidence: that is the cure for N+1, and the rows do not multiply.

    ## Why it matters at scale
    Every level multiplies the rows fetched: 50 posts x 40 comments x 1 author is 2,000 rows
    and their JSON for one page, and joins of several has-many relations multiply each other
    (a cartesian blow-up in SQL joins). Memory per request and serialisation time grow with the
    product of the fan-outs, so the endpoint degrades as the data deepens, not as traffic grows.

    ## Example
    ```ts
    prisma.post.findMany({ include: { comments: { include: { author: { include: { profile: true } } } } } });
    ```

    ## Use instead
    ```ts
    prisma.post.findMany({ take: 20, select: { id: true, title: true,
      author: { select: { name: true } }, _count: { select: { comments: true } } } });
    ```

    ## Known problems
    Relation counts come from the literal options only; includes built in variables are not seen.
    """

    meta = RuleMeta(
        id="SC-DB-007",
        name="deep-nested-include",
        category="database",
        severity="medium",
        title="Deeply nested eager loading on a list query",
        effort="hours",
        scope="local",
        confidence="medium",
        impact="Rows and memory per request multiply with every included relation level.",
        ecosystems=("node", "python"),
        references=("https://www.prisma.io/docs/orm/prisma-client/queries/relation-queries",),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        for access in model.all(DataAccess):
            if access.kind not in {"read-many", "read-one"} or not access.include_paths:
                continue
            if not model.role(access.loc.file).reportable:
                continue
            # Over-fetching is a per-request cost: background jobs that build a full payload
            # (and prefetch it to avoid N+1) are not what this rule is about.
            routes = model.routes_reaching(access.function_id)
            if not routes:
                continue
            depth = max(access.include_depth, max(p.count(".") + 1 for p in access.include_paths))
            widths = Counter(p.rsplit(".", 1)[0] if "." in p else "" for p in access.include_paths)
            parent, width = widths.most_common(1)[0]
            if access.kind == "read-one":
                # one root row: only a tree deep enough to fan out through several has-many levels
                if depth < MAX_DEPTH_ONE:
                    continue
                deepest = max(access.include_paths, key=lambda p: p.count("."))
                why = f"loads relations {depth} levels deep ({deepest}) for one row"
            elif depth >= MAX_DEPTH:
                deepest = max(access.include_paths, key=lambda p: p.count("."))
                why = f"loads relations {depth} levels deep ({deepest})"
            elif width >= MAX_SIBLINGS:
                names = [
                    p for p in access.include_paths if (p.rsplit(".", 1)[0] if "." in p else "") == parent
                ]
                where = f" under {parent}" if parent else ""
                why = f"loads {width} relations at once{where} ({', '.join(names[:6])})"
            else:
                continue
            limit = "" if access.has_limit or access.kind == "read-one" else " with no limit"
            rec, snippet, lang = include_depth_fix(access.orm)
            reads = [r for r in routes if r.method not in WRITE_METHODS]
            # prefetched (Django ``prefetch_related``, ``selectinload``, Sequelize ``separate``):
            # one query per level, not a join whose rows multiply
            prefetch_only = access.include_strategy == "separate"
            cost = (
                "one more query per level, each loading every related row of the level above"
                if prefetch_only
                else "rows fetched multiply with every level"
            )
            yield self.hit(
                access.loc,
                message=(
                    f"{describe(access)} {why}{limit}, serving {route_label((reads or routes)[0])}: {cost}."
                ),
                recommendation=f"{rec} ({orm_label(access.orm)})",
                fix_snippet=snippet,
                fix_language=lang,
                # prefetching is the cure for N+1, and a write that loads what it works on is not
                # a per-page over-fetch: report those only at low confidence
                confidence="low" if prefetch_only or not reads else None,
            )
