"""Code-defined schemas in Python: SQLAlchemy/SQLModel, Alembic and Django models."""

from __future__ import annotations

from scalescope.model.facts import Column, Index, IndexDef, Loc, Table
from scalescope.scan.extract.base import extract_file

SQLA = """\
from sqlalchemy import Column, Integer, String, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

class User(Base):
    __tablename__ = "users"
    __table_args__ = (Index("ix_name_created", "name", "created_at"), UniqueConstraint("org_id", "email"))
    id = Column(Integer, primary_key=True)
    email = Column(String(255), unique=True, index=True)
    name = Column("full_name", String)
    org_id = Column(Integer, ForeignKey("orgs.id"), nullable=False)
    posts = relationship("Post", back_populates="author")

class Post(Base):
    __tablename__ = "posts"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    author: Mapped["User"] = relationship(back_populates="posts")

class Hero(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)

class HeroBase(SQLModel):
    name: str = Field(index=True)

Index("ix_post_title", Post.title)

def upgrade():
    op.create_table("orders", sa.Column("id", sa.Integer(), nullable=False), sa.PrimaryKeyConstraint("id"))
    op.create_index(op.f("ix_orders_status"), "orders", ["status"], unique=False)
"""


def _facts(src: str, path: str) -> tuple[dict[str, Table], list[IndexDef]]:
    facts = extract_file(path, "python", src).facts
    return {f.model or f.name: f for f in facts if isinstance(f, Table)}, [
        f for f in facts if isinstance(f, IndexDef)
    ]


def test_sqlalchemy_declarative() -> None:
    tables, defs = _facts(SQLA, "app/models.py")
    user = tables["User"]
    assert (user.name, user.source, user.loc) == ("users", "sqlalchemy", Loc("app/models.py", 4, 11))
    cols = {c.name: c for c in user.columns}
    assert cols["id"] == Column("id", 7, type="Integer", primary_key=True)
    assert cols["email"] == Column("email", 8, type="String(255)", unique=True, indexed=True)
    assert cols["name"].db_name == "full_name"
    assert cols["org_id"].references == "orgs.id" and not cols["org_id"].indexed
    assert cols["posts"] == Column("posts", 11, references="Post", is_relation=True)
    assert user.indexes == (
        Index(("name", "created_at"), 6, name="ix_name_created"),
        Index(("org_id", "email"), 6, unique=True),
    )
    post = {c.name: c for c in tables["Post"].columns}
    assert post["id"].primary_key and post["title"] == Column("title", 16, type="str")
    assert post["author_id"].indexed and post["author"].is_relation and post["author"].references == "User"
    hero = tables["Hero"]
    assert hero.name == "hero" and {c.name: c.indexed for c in hero.columns} == {"id": False, "name": True}
    assert "HeroBase" not in tables
    assert tables["orders"].source == "alembic"
    assert [(d.table, d.columns, d.name, d.source) for d in defs] == [
        ("Post", ("title",), "ix_post_title", "sqlalchemy"),
        ("orders", ("status",), "ix_orders_status", "alembic"),
    ]


DJANGO = """\
from django.db import models

class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    class Meta:
        abstract = True
        ordering = ["-created_at"]

class Order(TimeStamped):
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE)
    status = models.CharField(max_length=20)
    number = models.CharField(max_length=20, unique=True)
    email = models.EmailField(db_column="mail")
    tags = models.ManyToManyField(Tag)
    class Meta:
        db_table = "orders"
        indexes = [models.Index(fields=["status", "-created_at"], name="ix"), GinIndex(fields=["email"])]
        unique_together = ("user", "number")

class Item(models.Model):
    order = models.OneToOneField(Order, on_delete=models.CASCADE, db_index=False)
    sku = models.CharField(max_length=10)
"""


def test_django_models() -> None:
    tables, _ = _facts(DJANGO, "shop/orders/models.py")
    assert sorted(tables) == ["Item", "Order"]  # the abstract base has no table
    order = tables["Order"]
    assert (order.name, order.source, order.ordering) == ("orders", "django", ("-created_at",))
    cols = {c.name: c for c in order.columns}
    assert cols["id"].primary_key
    assert cols["created_at"].indexed  # inherited from the abstract base
    assert cols["user"] == Column(
        "user", 10, db_name="user_id", type="ForeignKey", indexed=True, references="User", on_delete="cascade"
    )
    assert cols["number"].unique and cols["email"].db_name == "mail"
    assert cols["tags"].is_relation
    assert order.indexes == (
        Index(("status", "created_at"), 17, name="ix"),
        Index(("email",), 17, method="gin"),  # GinIndex: serves the @@ / @> / && filters its column gets
        Index(("user", "number"), 18, unique=True),
    )
    item = tables["Item"]
    assert item.name == "orders_item"
    assert {c.name: (c.unique, c.indexed) for c in item.columns}["order"] == (True, False)


def test_django_migrations_are_not_models() -> None:
    tables, _ = _facts(DJANGO, "shop/orders/migrations/0001_initial.py")
    assert tables == {}
