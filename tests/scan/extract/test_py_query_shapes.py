"""Python query shapes as facts (Django ORM, SQLAlchemy, raw SQL): limit provenance,
bounded IN lists, aggregates and grouping, join keys versus filters, filters through
relations, eager-loading strategy and cache loaders (issue 8, items 4, 5 and 8)."""

# ruff: noqa: E501  (fixture source lines are kept as written)

from __future__ import annotations

from scalescope.model.facts import DataAccess
from scalescope.scan.extract.base import extract_file


def _by_line(text: str) -> dict[int, DataAccess]:
    result = extract_file("app/views.py", "python", text)
    assert not result.errors, result.errors
    return {f.loc.line: f for f in result.facts if isinstance(f, DataAccess)}


DJANGO = """from django.core.cache import cache
from django.db.models import Count, Sum
from .models import Post, Comment

def view(request):
    n = min(int(request.GET.get("n", 20)), 100)
    posts = list(Post.objects.filter(status="open", created__gte=request.GET["d"]).order_by("-created")[:n])
    top = Post.objects.order_by("-score").values_list("id", flat=True)[:10]
    comments = list(Comment.objects.filter(post_id__in=top))
    grouped = list(Post.objects.values("status").annotate(n=Count("id")))
    total = Post.objects.aggregate(s=Sum("views"))
    f = build()
    opaque = list(Post.objects.filter(f))
    by_author = list(Post.objects.filter(author__email=request.GET["e"]))
    cached = cache.get_or_set("k", lambda: list(Post.objects.all()))
    page = list(Post.objects.all()[: n + 1])
    deep = list(Post.objects.prefetch_related("comments__author"))
    return posts
"""


def test_django_query_shapes() -> None:
    a = _by_line(DJANGO)
    assert (a[7].limit_bound, a[7].limit_floor, a[7].range_fields) == ("clamped", False, ("created",))
    assert a[8].limit_bound == "literal"
    assert (a[9].in_list_bounded, a[9].in_fields) == (True, ("post_id",))
    assert (a[10].kind, a[10].aggregate) == ("aggregate", "group")
    assert a[11].aggregate == "sum"
    assert a[13].opaque_filter is True
    assert a[14].related_filters == ("author.email",)
    assert a[15].in_cache_loader is True
    assert (a[16].peeks_next, a[16].limit_bound) == (True, "clamped")
    assert a[17].include_strategy == "separate"


SQLA = """from sqlalchemy import func, select, text
from sqlalchemy.orm import joinedload, selectinload
from .models import Post, User

def f(session, since, n, ids):
    rows = session.execute(select(Post).join(User, Post.author_id == User.id).where(User.email == "x", Post.created > since).limit(min(n, 50))).scalars().all()
    c = session.execute(select(func.count()).select_from(Post)).scalar()
    g = session.execute(select(Post.status, func.count()).group_by(Post.status)).all()
    h = session.execute(select(Post).where(Post.author_id == User.id)).scalars().all()
    s = session.execute(select(func.sum(Post.views))).scalar()
    latest = [u.id for u in session.execute(select(User).order_by(User.id.desc()).limit(5)).scalars()]
    i = session.execute(select(Post).where(Post.author_id.in_(latest))).scalars().all()
    j = session.execute(select(Post).options(joinedload(Post.author), selectinload(Post.comments)).limit(5)).scalars().all()
    k = session.execute(select(Post).options(selectinload(Post.comments)).limit(5)).scalars().all()
    one = session.execute(text("SELECT 1")).scalar()
    return rows
"""


def test_sqlalchemy_query_shapes() -> None:
    a = _by_line(SQLA)
    assert a[6].filter_fields == ("created",)
    assert a[6].related_filters == ("User.email",)
    assert a[6].join_keys == (("Post.author_id", "User.id"),)
    assert a[6].range_fields == ("created",)
    assert (a[6].limit_bound, a[6].limit_floor) == ("clamped", False)
    assert (a[7].kind, a[7].aggregate) == ("count", "count")
    assert (a[8].kind, a[8].aggregate) == ("aggregate", "group")
    assert (a[9].filter_fields, a[9].join_keys) == ((), (("Post.author_id", "User.id"),))
    assert a[10].aggregate == "sum"
    assert (a[12].in_list_bounded, a[12].in_fields) == (True, ("author_id",))
    assert a[13].include_strategy == "join"
    assert a[14].include_strategy == "separate"


RAW = """async def tree(conn, root):
    rows = await conn.fetch(
        "WITH RECURSIVE sub AS (SELECT id, parent_id FROM folders WHERE id = $1 "
        "UNION ALL SELECT f.id, f.parent_id FROM folders f JOIN sub ON f.parent_id = sub.id) SELECT * FROM sub",
        root,
    )
    health = await conn.fetchval("SELECT 1")
    return rows
"""


def test_raw_sql_recursive_cte_and_health_check() -> None:
    result = extract_file("app/db.py", "python", RAW)
    found = {f.loc.line: f for f in result.facts if isinstance(f, DataAccess)}
    # the recursive query starts from one row: its anchor's condition is the filter
    assert found[2].filter_fields == ("id",)
    assert ("f.parent_id", "sub.id") in found[2].join_keys
    assert found[7].aggregate == "constant"


HELPERS = """from flask_caching import Cache
from .models import Post

cache = Cache()


def paginate(query, page):
    return query.offset(page * 20).limit(20)


def only_open(query):
    query = query.filter(Post.status == "open")
    return query


def paged(session, page):
    q = session.query(Post)
    q = paginate(q, page)
    return q.all()


def open_posts(session):
    q = only_open(session.query(Post))
    return q.all()


def unknown(session):
    q = imported_helper(session.query(Post))
    return q.all()


@cache.memoize(timeout=60)
def memoized(session):
    q = session.query(Post)
    return q.all()
"""


def test_query_variables_and_helpers_of_the_file() -> None:
    a = _by_line(HELPERS)
    # a query held in a variable is followed into a helper that limits or filters it
    assert (a[19].has_limit, a[19].paginated) == (True, True)
    assert (a[24].has_limit, a[24].filter_fields) == (False, ("status",))
    # a helper the file does not define may do anything: no fact rather than a guess
    assert 29 not in a
    assert a[35].in_cache_loader is True
