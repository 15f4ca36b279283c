"""ReadModifyWrite facts: a column read, changed in code and written back (JS/TS and Python),
what protects it, and the pieces the readers share (``UPDATE ... SET`` items, model names)."""

# ruff: noqa: E501  (fixture source lines are kept as written)

from __future__ import annotations

import pytest

from scalescope.model.facts import ReadModifyWrite
from scalescope.scan.extract.base import extract_file
from scalescope.scan.extract.rmw_common import callee_text, guards_write, norm_name, sql_set_items


def _rmw(text: str, path: str = "src/a.ts") -> list[ReadModifyWrite]:
    language = "python" if path.endswith(".py") else "typescript"
    result = extract_file(path, language, text)
    assert not result.errors, result.errors
    return sorted(
        (f for f in result.facts if isinstance(f, ReadModifyWrite)), key=lambda f: (f.loc.line, f.field)
    )


def _one(text: str, path: str = "src/a.ts") -> ReadModifyWrite:
    found = _rmw(text, path)
    assert len(found) == 1, found
    return found[0]


PRISMA_HEAD = 'import { PrismaClient } from "@prisma/client";\nconst prisma = new PrismaClient();\n'


def test_prisma_absolute_value_through_a_local() -> None:
    fact = _one(
        PRISMA_HEAD
        + """export async function buy(id: number, qty: number) {
  const product = await prisma.product.findUnique({ where: { id } });
  if (product.stock < qty) throw new Error("out");
  const left = product.stock - qty;
  await prisma.product.update({ where: { id }, data: { stock: left } });
}
"""
    )
    assert (fact.loc.line, fact.read.line, fact.form, fact.field, fact.op) == (7, 4, "absolute", "stock", "-")
    assert fact.modify is not None and fact.modify.line == 6
    assert fact.check is not None and fact.check.line == 5
    assert fact.same_row and not fact.protection
    assert fact.column_text == "product.stock"
    assert fact.read_call == "prisma.product.findUnique()" and fact.write_call == "prisma.product.update()"


@pytest.mark.parametrize(
    ("body", "protection"),
    [
        (
            """  await prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM "Product" WHERE id = ${id} FOR UPDATE`;
    const p = await tx.product.findUniqueOrThrow({ where: { id } });
    await tx.product.update({ where: { id }, data: { stock: p.stock - 1 } });
  });""",
            "lock",
        ),
        (
            """  await prisma.$transaction(async (tx) => {
    const p = await tx.product.findUniqueOrThrow({ where: { id } });
    await tx.product.update({ where: { id }, data: { stock: p.stock - 1 } });
  }, { isolationLevel: "Serializable" });""",
            "isolation",
        ),
        (
            """  const p = await prisma.product.findUniqueOrThrow({ where: { id } });
  await prisma.product.updateMany({ where: { id, version: p.version }, data: { stock: p.stock - 1 } });""",
            "conditional",
        ),
        (
            """  const p = await prisma.product.findUniqueOrThrow({ where: { id } });
  await prisma.product.updateMany({ where: { id, status: "OPEN" }, data: { stock: p.stock - 1, status: "SOLD" } });""",
            "conditional",
        ),
        (
            """  await redlock.using([`product:${id}`], 5000, async () => {
    const p = await prisma.product.findUniqueOrThrow({ where: { id } });
    await prisma.product.update({ where: { id }, data: { stock: p.stock - 1 } });
  });""",
            "lock",
        ),
    ],
    ids=["for-update", "serializable", "version", "state", "redlock"],
)
def test_what_protects_it_is_recorded(body: str, protection: str) -> None:
    fact = _one(PRISMA_HEAD + f"export async function f(id: number) {{\n{body}\n}}\n")
    assert fact.protection == protection


def test_atomic_and_unrelated_writes_are_not_read_modify_writes() -> None:
    assert not _rmw(
        PRISMA_HEAD
        + """export async function f(id: number, body: any) {
  const p = await prisma.product.findUniqueOrThrow({ where: { id } });
  await prisma.product.update({ where: { id }, data: { stock: { decrement: 1 } } });
  await prisma.product.update({ where: { id }, data: { name: p.name + " (copy)" } });
  await prisma.product.update({ where: { id }, data: { stock: Number(body.stock) } });
  await prisma.ledger.create({ data: { productId: id, stock: p.stock - 1 } });
  await prisma.product.update({ where: { id }, data: { sold: p.stock - 1 } });
}
"""
    )


def test_check_then_atomic_decrement() -> None:
    fact = _one(
        PRISMA_HEAD
        + """export async function f(id: number, qty: number) {
  const p = await prisma.product.findUniqueOrThrow({ where: { id } });
  if (p.stock < qty) throw new Error("out");
  await prisma.product.update({ where: { id }, data: { stock: { decrement: qty } } });
}
"""
    )
    assert (fact.form, fact.field, fact.op, fact.protection) == ("check", "stock", "-", "")
    assert fact.column_text == "p.stock"


def test_a_comparison_after_the_decrement_is_no_check() -> None:
    assert not _rmw(
        PRISMA_HEAD
        + """export async function f(id: number) {
  const p = await prisma.product.findUniqueOrThrow({ where: { id } });
  await prisma.product.update({ where: { id }, data: { stock: { decrement: 1 } } });
  if (p.stock < 5) notifyLowStock(id);
}
"""
    )


def test_typeorm_object_save_after_the_attribute_changes() -> None:
    fact = _one(
        """import { Repository } from "typeorm";
export class S {
  constructor(private readonly productRepository: Repository<Product>) {}
  async buy(id: number, qty: number) {
    const product = await this.productRepository.findOneBy({ id });
    product.stock -= qty;
    return this.productRepository.save(product);
  }
}
"""
    )
    assert (fact.form, fact.loc.line, fact.field, fact.op) == ("save", 7, "stock", "-")
    assert fact.modify is not None and fact.modify.line == 6


def test_pg_update_parameter_from_the_read_row() -> None:
    fact = _one(
        """import { Pool } from "pg";
const pool = new Pool();
export async function pay(id: string, amount: number) {
  const { rows } = await pool.query("SELECT balance FROM accounts WHERE id = $1", [id]);
  await pool.query("UPDATE accounts SET balance = $1 WHERE id = $2", [rows[0].balance - amount, id]);
}
"""
    )
    assert (fact.field, fact.orm, fact.column_text) == ("balance", "pg", "rows[0].balance")


def test_mongoose_session_and_row_read_through_catch() -> None:
    facts = _rmw(
        """import mongoose from "mongoose";
export async function f(id: string) {
  const user = await User.findById(id).catch(() => null);
  user.credits -= 1;
  await user.save();
  const session = await mongoose.startSession();
  await session.withTransaction(async () => {
    const other = await User.findById(id).session(session);
    other.credits -= 1;
    await other.save({ session });
  });
}
"""
    )
    assert [(f.loc.line, f.protection) for f in facts] == [(5, ""), (10, "session")]


PY_DJANGO = """from django.db.models import F
from .models import Product


def buy(request, pk):
    product = Product.objects.get(pk=pk)
    qty = int(request.POST["qty"])
    product.stock -= qty
    product.save(update_fields=["stock"])


def reserve(request, pk):
    product = Product.objects.get(pk=pk)
    if product.stock < 1:
        return None
    Product.objects.filter(pk=pk).update(stock=F("stock") - 1)


def reserve_guarded(request, pk):
    product = Product.objects.get(pk=pk)
    if product.stock < 1:
        return None
    Product.objects.filter(pk=pk, stock__gte=1).update(stock=F("stock") - 1)


def locked(request, pk):
    product = Product.objects.select_for_update().get(pk=pk)
    product.stock -= 1
    product.save()
"""


def test_django_forms_and_protections() -> None:
    facts = _rmw(PY_DJANGO, "shop/views.py")
    got = [(f.loc.line, f.form, f.field, f.protection) for f in facts]
    assert got == [
        (9, "save", "stock", ""),
        (16, "check", "stock", ""),
        (23, "check", "stock", "conditional"),
        (29, "save", "stock", "lock"),
    ]
    assert facts[0].modify is not None and facts[0].modify.line == 8


def test_sqlalchemy_commit_and_values() -> None:
    facts = _rmw(
        """from sqlalchemy import select, update


async def pay(session, account_id, amount):
    result = await session.execute(select(Account).where(Account.id == account_id))
    acct = result.scalar_one()
    acct.balance = acct.balance - amount
    await session.commit()


def deposit(db, account_id, amount):
    acct = db.get(Account, account_id)
    db.execute(update(Account).where(Account.id == account_id).values(balance=acct.balance + amount))
    db.execute(update(Account).where(Account.id == account_id).values(balance=Account.balance + amount))
""",
        "app/accounts.py",
    )
    got = [(f.loc.line, f.form, f.field, f.op, f.same_row) for f in facts]
    assert got == [(8, "save", "balance", "-", True), (13, "absolute", "balance", "+", True)]


def test_sql_set_items() -> None:
    items = sql_set_items(
        "UPDATE accounts SET balance = $1, seen = now(), credits = credits - $2 WHERE id = $3"
    )
    assert [(i.column, i.param, i.atomic) for i in items] == [
        ("balance", 0, ""),
        ("seen", -1, ""),
        ("credits", -1, "-"),
    ]
    mysql = sql_set_items("update t set a = ?, b = ? where id = ?")
    assert [(i.column, i.param) for i in mysql] == [("a", 0), ("b", 1)]
    named = sql_set_items("UPDATE t SET stock = :stock WHERE id = :id")
    assert [(i.column, i.name) for i in named] == [("stock", "stock")]
    assert sql_set_items("SELECT 1") == []


def test_names_and_guards() -> None:
    assert norm_name("this.productRepository") == norm_name("products") == norm_name("Product") == "product"
    assert norm_name("categories") == "category"
    assert callee_text("await prisma.product.update({\n where: { id } })") == "prisma.product.update()"
    assert guards_write(("pk", "stock__gte"), "stock")
    assert guards_write(("id", "status"), "balance")
    assert not guards_write(("id", "userId"), "balance")
