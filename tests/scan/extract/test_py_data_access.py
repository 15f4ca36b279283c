"""Python data-access extraction: DataAccess and Transaction facts per ORM, and look-alikes."""

# ruff: noqa: E501  (fixture source lines are kept as written)

from __future__ import annotations

from scalescope.model.facts import DataAccess, Fact, Transaction
from scalescope.scan.extract.base import extract_file


def _facts(text: str, path: str = "app/views.py") -> list[Fact]:
    result = extract_file(path, "python", text)
    assert not result.errors, result.errors
    return result.facts


def _accesses(text: str) -> dict[int, DataAccess]:
    out: dict[int, DataAccess] = {}
    for fact in _facts(text):
        if isinstance(fact, DataAccess):
            assert fact.loc.line not in out, f"two accesses on line {fact.loc.line}"
            out[fact.loc.line] = fact
    return out


SQLA = """from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, load_only, selectinload

async def handler(session, ids):
    stmt = select(User).where(User.email == "x", User.id.in_(ids)).order_by(User.created_at.desc())
    result = await session.execute(stmt)
    users = result.scalars().all()
    for u in users:
        posts = (await session.execute(select(Post).where(Post.author_id == u.id))).scalars().all()
    one = await session.get(User, 3)
    total = await session.scalar(select(func.count()).select_from(User))
    q = session.query(User).filter(User.active == True).filter_by(role="x").order_by(User.name).limit(10).all()
    deep = db.session.query(User).options(joinedload(User.posts).joinedload(Post.comments), load_only(User.id)).all()
    page = User.query.filter_by(email="a").paginate(page=1, per_page=20)
    first = User.query.get(7)
    for i in [1, 2, 3]:
        session.query(User).filter(User.id == i).first()
    n = session.query(func.count(User.id)).scalar()
    await session.execute(update(User).where(User.id == 1).values(name="x"))
    return users
"""


def test_sqlalchemy_queries() -> None:
    acc = _accesses(SQLA)
    assert sorted(acc) == [6, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19]
    stmt = acc[6]
    assert (stmt.orm, stmt.model, stmt.operation, stmt.kind) == ("sqlalchemy", "User", "execute", "read-many")
    assert stmt.filter_fields == ("email", "id") and stmt.sort_fields == ("created_at",)
    assert stmt.has_limit is False and stmt.loop is None and stmt.function_id == "app/views.py::handler@4"
    inner = acc[9]
    assert inner.model == "Post" and inner.filter_fields == ("author_id",)
    assert inner.loop is not None and inner.loop.kind == "for" and inner.loop.uses_item is True
    assert (acc[10].kind, acc[10].filter_fields, acc[10].has_limit) == ("read-one", ("id",), True)
    assert (acc[11].kind, acc[11].model) == ("count", "User")
    q = acc[12]
    assert q.filter_fields == ("active", "role") and q.sort_fields == ("name",) and q.has_limit is True
    deep = acc[13]
    assert deep.include_paths == ("posts", "posts.comments") and deep.include_depth == 2
    assert deep.selects_all is False and deep.has_limit is False
    page = acc[14]
    assert (page.operation, page.has_limit, page.paginated) == ("paginate", True, True)
    assert (acc[15].kind, acc[15].filter_fields) == ("read-one", ("id",))
    small = acc[17]
    assert small.loop is not None and small.loop.literal_size == 3 and small.loop.uses_item is True
    assert acc[18].kind == "count"
    assert (acc[19].kind, acc[19].operation) == ("write", "update")


DJANGO = """from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, render

def order_list(request):
    qs = Order.objects.filter(customer__name__iexact="x", status="open").order_by("-created_at")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    total = Order.objects.count()
    return render(request, "o.html", {"page": page, "recent": Order.objects.all()[:10]})

def customers(request):
    customers = Customer.objects.prefetch_related("orders__items").select_related("account")
    for c in customers:
        list(c.orders.all())
        c.orders.filter(status="x").count()
        Order.objects.get(pk=c.id)
        Order.objects.filter(id__in=c.order_ids).exists()
    for o in Order.objects.filter(id__in=Customer.objects.values("id")):
        pass
    obj = get_object_or_404(Order, pk=1)
    request.GET.get("x")
    os.environ.get("X")
    cache.get("k")
    [1, 2].count(1)
    return customers

@transaction.atomic
def create(request):
    Order.objects.create(x=1)
    with transaction.atomic():
        Order.objects.filter(pk=1).update(x=2)
    transaction.on_commit(lambda: notify())

def helper(user):
    return Order.objects.filter(user=user)
"""


def test_django_queries() -> None:
    acc = _accesses(DJANGO)
    assert sorted(acc) == [7, 8, 9, 12, 14, 15, 16, 17, 18, 20, 29, 31, 35]
    page = acc[7]
    assert (page.orm, page.model, page.operation, page.has_limit, page.paginated) == (
        "django",
        "Order",
        "paginate",
        True,
        True,
    )
    assert page.filter_fields == ("customer", "status") and page.sort_fields == ("created_at",)
    assert acc[8].kind == "count"
    recent = acc[9]
    assert (recent.model, recent.kind, recent.has_limit) == ("Order", "read-many", True)
    listing = acc[12]
    assert listing.kind == "read-many" and listing.has_limit is False
    assert listing.include_paths == ("orders", "orders.items") and listing.include_depth == 2
    related = acc[14]
    assert related.model == "orders" and related.batched is True
    assert related.loop is not None and related.loop.uses_item is True
    assert acc[15].batched is False and acc[15].kind == "count"
    pk = acc[16]
    assert (pk.kind, pk.filter_fields, pk.loop is not None and pk.loop.uses_item) == (
        "read-one",
        ("pk",),
        True,
    )
    batch = acc[17]
    assert batch.loop is not None and batch.loop.uses_item is False  # IN-list: one query per batch
    assert acc[18].filter_fields == ("id",)
    assert acc[20].operation == "get_object_or_404" and acc[20].kind == "read-one"
    assert acc[29].kind == "write" and acc[29].in_transaction is True
    assert acc[31].in_transaction is True
    assert acc[35].has_limit is None  # returned from a helper: the caller may slice it


def test_django_transactions() -> None:
    txs = [f for f in _facts(DJANGO) if isinstance(f, Transaction)]
    assert [(t.loc.line, t.orm, t.body.line, t.body.end_line) for t in txs] == [
        (27, "django", 29, 32),
        (30, "django", 31, 31),
    ]
    assert txs[0].function_id == "app/views.py::create@28"


RAW = """import asyncpg

async def load(conn, ids):
    rows = await conn.fetch("SELECT id, name FROM users WHERE org_id = $1 ORDER BY name")
    for i in ids:
        await conn.fetchrow("SELECT * FROM orders WHERE id = $1", i)
    async with conn.transaction():
        await conn.execute("UPDATE users SET name = $1 WHERE id = $2", "x", 1)
    SQL = "SELECT * FROM events LIMIT 50"
    await conn.fetch(SQL)
    cursor.execute("SELECT count(*) FROM users")
"""


def test_raw_sql() -> None:
    acc = _accesses(RAW)
    assert sorted(acc) == [4, 6, 8, 10, 11]
    rows = acc[4]
    assert (rows.orm, rows.model, rows.kind, rows.operation) == ("asyncpg", "users", "raw", "select")
    assert rows.filter_fields == ("org_id",) and rows.sort_fields == ("name",) and rows.has_limit is False
    assert acc[6].loop is not None and acc[6].loop.uses_item is True and acc[6].has_limit is True
    assert acc[8].operation == "update" and acc[8].in_transaction is True
    assert acc[10].has_limit is True
    assert acc[11].has_limit is True  # an aggregate returns one row


LOOKALIKES = """import requests

def view(request, data):
    d = {}
    d.get("x")
    items = [x for x in data.filter(lambda y: y)]
    requests.get("https://example.com", timeout=3)
    settings.CACHES.get("default")
    select.select([sock], [], [])
    session["user"] = 1
    text.count("a")
    return d.values()
"""


def test_lookalikes_are_not_queries() -> None:
    assert _accesses(LOOKALIKES) == {}


PREFETCH_VARIANTS = """from django.db.models import prefetch_related_objects

def lines_info(order, lines=None):
    if lines is None:
        lines = list(order.lines.prefetch_related("variant__product__collections"))
    for line in lines:
        list(line.variant.product.collections.all())

def attach(orders):
    prefetch_related_objects(orders, *FIELDS)
    for order in orders:
        list(order.discounts.all())

def unprefetched(variant):
    rels = variant.attributes.filter(assignment__kind="x")
    for rel in rels.iterator(chunk_size=1000):
        list(rel.values.all())
"""


def test_prefetch_through_list_and_prefetch_related_objects() -> None:
    acc = _accesses(PREFETCH_VARIANTS)
    assert acc[7].batched is True
    assert acc[12].batched is True
    n_plus_one = acc[17]
    assert n_plus_one.batched is False and n_plus_one.loop is not None and n_plus_one.loop.uses_item is True
