"""Request input facts: declared maximums (InputLimit), where a query limit comes from
(DataAccess.limit_input), calls passing request input on (RequestArg), DRF page-size policies."""

# ruff: noqa: E501  (fixture source lines are kept as written)

from __future__ import annotations

from scalescope.model.facts import DataAccess, Fact, InputLimit, LimitInput, PageSizeParam, RequestArg
from scalescope.scan.extract.base import extract_file


def _facts(text: str, path: str = "src/a.ts", language: str = "typescript") -> list[Fact]:
    result = extract_file(path, language, text)
    assert not result.errors, result.errors
    return result.facts


def _limits(text: str, **kw: str) -> set[tuple[str, int, str, str, str]]:
    return {
        (f.name, f.maximum, f.schema, f.library, f.measure) for f in _facts(text, **kw) if isinstance(f, InputLimit)
    }


def _inputs(text: str, **kw: str) -> list[LimitInput | None]:
    found = sorted((f for f in _facts(text, **kw) if isinstance(f, DataAccess)), key=lambda a: a.loc.line)
    return [a.limit_input for a in found]


# --------------------------------------------------------------------------- declared maximums


def test_js_number_maximums_of_every_schema_library() -> None:
    text = """
import { z } from "zod";
import Joi from "joi";
import * as v from "valibot";
import { Type } from "@sinclair/typebox";
const MAX_PAGE = 200;
export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  before: z.number().lt(51),
  name: z.string().max(40),
  ids: z.array(z.string()).max(25),
  cap: z.number().max(MAX_PAGE),
});
export const joiQuery = Joi.object({ perPage: Joi.number().integer().less(31) });
export const valibotQuery = v.object({ size: v.pipe(v.number(), v.maxValue(60)) });
export const boxQuery = Type.Object({ rows: Type.Integer({ minimum: 1, maximum: 70 }) });
const routeSchema = { querystring: { type: "object", properties: { take: { type: "integer", maximum: 80 } } } };
"""
    assert _limits(text) == {
        ("limit", 100, "ListQuery", "zod", "value"),
        ("before", 50, "ListQuery", "zod", "value"),
        ("ids", 25, "ListQuery", "zod", "items"),
        ("cap", 200, "ListQuery", "zod", "value"),
        ("perPage", 30, "joiQuery", "joi", "value"),
        ("size", 60, "valibotQuery", "valibot", "value"),
        ("rows", 70, "boxQuery", "json-schema", "value"),
        ("take", 80, "routeSchema", "json-schema", "value"),
    }


def test_js_class_validator_and_express_paginate() -> None:
    text = """
import paginate from "express-paginate";
import { ArrayMaxSize, IsInt, Max } from "class-validator";
export class ListDto {
  @IsInt() @Max(100) pageSize: number;
  @ArrayMaxSize(10) tags: string[];
}
app.use(paginate.middleware(10, 50));
"""
    assert _limits(text) == {
        ("pageSize", 100, "ListDto", "class-validator", "value"),
        ("tags", 10, "ListDto", "class-validator", "items"),
        ("limit", 50, "", "express-paginate", "value"),
    }


def test_python_number_maximums() -> None:
    text = '''
from typing import Annotated
from annotated_types import Le
from fastapi import Query
from pydantic import BaseModel, Field, conint
from rest_framework import serializers
from marshmallow import fields, validate


class Page(BaseModel):
    per_page: int = Field(20, ge=1, le=100)
    size: conint(ge=1, lt=51) = 10
    rows: Annotated[int, Le(30)] = 10
    name: str = Field(max_length=40)
    ids: list[int] = Field(max_length=25)


class PageSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=1, max_value=200)


class PageSchema(Schema):
    take = fields.Int(validate=validate.Range(min=1, max=70))


@router.get("/items")
def items(limit: int = Query(20, alias="pageSize", le=90), skip: int = 0):
    return []
'''
    assert _limits(text, path="app/a.py", language="python") == {
        ("per_page", 100, "Page", "pydantic", "value"),
        ("size", 50, "Page", "pydantic", "value"),
        ("rows", 30, "Page", "pydantic", "value"),
        ("ids", 25, "Page", "pydantic", "items"),
        ("count", 200, "PageSerializer", "drf", "value"),
        ("take", 70, "PageSchema", "marshmallow", "value"),
        ("pageSize", 90, "items", "fastapi", "value"),
    }


def test_openapi_document_maximums() -> None:
    text = """openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /tickets:
    get:
      parameters:
        - name: pageRows
          in: query
          schema: {type: integer, maximum: 100}
components:
  schemas:
    Search:
      type: object
      properties:
        first: {type: integer, exclusiveMaximum: 51}
"""
    assert _limits(text, path="openapi.yaml", language="yaml") == {
        ("pageRows", 100, "", "openapi", "value"),
        ("first", 50, "", "openapi", "value"),
    }
    assert _limits("services:\n  web: {maximum: 3}\n", path="compose.yaml", language="yaml") == set()


# --------------------------------------------------------------------------- where limits come from


def test_js_limit_from_the_request_in_the_handler() -> None:
    text = """
import { prisma } from "./db";
app.get("/a", async (req, res) => {
  const take = Number(req.query.limit) || 20;
  await prisma.order.findMany({ take });
  const { rows = 10 } = req.query;
  await prisma.order.findMany({ take: +rows });
  const q = ListQuery.parse(req.query);
  await prisma.order.findMany({ take: q.pageSize });
  await prisma.order.findMany({ take: Math.min(Number(req.query.n), 100) });
  const first = Number(req.query.first);
  if (first > 500) throw new Error("too many");
  await prisma.order.findMany({ take: first });
  await prisma.order.findMany({ take: config.pageSize });
  await prisma.order.findMany({ take: Number(new URL(req.url).searchParams.get("batch")) });
});
"""
    found = _inputs(text)
    assert [(i.source, i.field, i.schema, i.via) if i else None for i in found] == [
        ("request", "limit", "", ""),
        ("request", "rows", "", ""),
        ("request", "pageSize", "ListQuery", "zod"),
        None,  # clamped
        None,  # compared against a bound
        None,  # not request input
        ("request", "batch", "", ""),
    ]
    assert found[0] is not None and found[0].text == "req.query.limit" and found[0].line == 4


def test_js_limit_from_a_parameter_and_nest_decorators() -> None:
    text = """
import { Repository } from "typeorm";
@Controller("c")
export class C {
  constructor(@InjectRepository(Order) private readonly repo: Repository<Order>) {}
  list(@Query("take", new ParseIntPipe()) take: number, @Query() dto: ListDto) {
    return this.repo.find({ take, skip: dto.skip });
  }
  page(dto: ListDto) {
    return this.repo.find({ take: dto.perPage });
  }
  many({ size }: Opts, limit = 20) {
    return [this.repo.find({ take: size }), this.repo.find({ take: limit })];
  }
}
"""
    found = _inputs(text)
    assert [(i.source, i.field, i.position, i.key, i.schema, i.via) if i else None for i in found] == [
        ("request", "take", -1, "", "", ""),
        ("parameter", "dto", 0, "perPage", "", ""),
        ("parameter", "size", 0, "size", "", ""),
        ("parameter", "limit", 1, "", "", ""),
    ]


def test_py_limit_sources() -> None:
    text = '''
from fastapi import Depends, Query


@router.get("/items")
def items(limit: int = 100, size: int = Query(20, alias="pageSize"), page: Page = Depends(), db: Session = Depends(get_db)):
    a = db.query(Item).limit(limit).all()
    b = db.query(Item).limit(size).all()
    c = db.query(Item).limit(page.per_page).all()
    return a, b, c


def crud_items(db, skip, limit):
    return db.query(Item).offset(skip).limit(limit).all()


def view(request):
    n = int(request.GET.get("n", 20))
    rows = Product.objects.order_by("id")[:n]
    m = int(request.GET.get("m", 20))
    if m > 100:
        raise ValueError("m")
    more = Product.objects.order_by("id")[:m]
    offset = int(request.GET.get("offset", 0))
    size = int(request.GET.get("size", 10))
    page = Product.objects.order_by("id")[offset:offset + size]
    pages = Paginator(Product.objects.order_by("id"), request.GET.get("rows", 25))
    return rows, more, page, pages
'''
    found = _inputs(text, path="app/views.py", language="python")
    assert [(i.source, i.field, i.position, i.schema, i.via) if i else None for i in found] == [
        ("request", "limit", -1, "", "fastapi"),
        ("request", "pageSize", -1, "", "fastapi"),
        ("request", "per_page", -1, "Page", "pydantic"),
        ("parameter", "limit", 2, "", ""),
        ("request", "n", -1, "", ""),
        None,  # compared against a bound
        ("request", "size", -1, "", ""),
        ("request", "rows", -1, "", ""),
    ]


# --------------------------------------------------------------------------- calls passing request input


def test_js_request_args() -> None:
    text = """
app.get("/a", async (req, res) => {
  const perPage = Number(req.query.perPage);
  await service.list(req.params.id, perPage, { take: Number(req.query.take), cursor: 1 });
  await service.clamped(Math.min(perPage, 100));
});
"""
    args = [f for f in _facts(text) if isinstance(f, RequestArg)]
    assert sorted((a.call.name, a.position, a.key, a.field) for a in args) == [
        ("list", 0, "", "id"),
        ("list", 1, "", "perPage"),
        ("list", 2, "take", "take"),
    ]


def test_py_request_args() -> None:
    text = '''
@router.get("/items")
def read_items(skip: int = 0, limit: int = 100, db: Session = Depends(get_db)):
    return crud.get_items(db, skip=skip, limit=limit)
'''
    args = [f for f in _facts(text, path="app/r.py", language="python") if isinstance(f, RequestArg)]
    assert sorted((a.call.name, a.call.receiver, a.position, a.key, a.field) for a in args) == [
        ("get_items", "crud", -1, "limit", "limit"),
        ("get_items", "crud", -1, "skip", "skip"),
    ]


# --------------------------------------------------------------------------- DRF pagination


def test_drf_page_size_policies() -> None:
    text = '''
from rest_framework.pagination import LimitOffsetPagination, PageNumberPagination


class Big(PageNumberPagination):
    page_size_query_param = "page_size"


class Capped(Big):
    max_page_size = 100


class Offsets(LimitOffsetPagination):
    max_limit = 50


class Fixed(PageNumberPagination):
    page_size_query_param = None


class Orders(ViewSet):
    pagination_class = Capped


REST_FRAMEWORK = {"DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination"}
'''
    facts = _facts(text, path="app/p.py", language="python")
    params = {(f.name, f.param, f.bases, f.used) for f in facts if isinstance(f, PageSizeParam)}
    assert params == {
        ("Big", "page_size", ("PageNumberPagination",), ""),
        ("Capped", "", ("Big",), ""),
        ("Offsets", "limit", ("LimitOffsetPagination",), ""),
        ("Fixed", "-", ("PageNumberPagination",), ""),
        ("Capped", "", (), "Orders"),
        ("LimitOffsetPagination", "limit", (), "settings"),
    }
    limits = {(f.name, f.maximum, f.schema) for f in facts if isinstance(f, InputLimit)}
    assert limits == {("", 100, "Capped"), ("limit", 50, "Offsets")}


# --------------------------------------------------------------------------- raw SQL


def test_limit_placeholders_of_raw_sql() -> None:
    from scalescope.scan.extract.sql_params import Placeholder, limit_placeholder

    assert limit_placeholder("SELECT * FROM t WHERE a = $1 ORDER BY id LIMIT $2") == Placeholder(position=1)
    assert limit_placeholder("SELECT * FROM t WHERE a = ? AND b = ? LIMIT ? OFFSET ?") == Placeholder(position=2)
    assert limit_placeholder("SELECT * FROM t WHERE a = %s LIMIT %s") == Placeholder(position=1)
    assert limit_placeholder("SELECT * FROM t LIMIT :page_size") == Placeholder(name="page_size")
    assert limit_placeholder("SELECT * FROM t LIMIT %(n)s") == Placeholder(name="n")
    assert limit_placeholder("SELECT * FROM t LIMIT 20") is None
    assert limit_placeholder("(SELECT 1 LIMIT $1) UNION (SELECT 2 LIMIT $2)") is None


def test_raw_sql_limits_from_the_request() -> None:
    js = """
import { Pool } from "pg";
const pool = new Pool();
app.get("/a", async (req, res) => {
  await pool.query("SELECT id FROM logs WHERE kind = $1 LIMIT $2", [req.query.kind, Number(req.query.rows)]);
  await sql`SELECT id FROM logs ORDER BY id LIMIT ${Number(req.query.n)}`;
});
"""
    assert [(i.source, i.field) if i else None for i in _inputs(js)] == [("request", "rows"), ("request", "n")]
    py = '''
def view(request):
    k = int(request.GET.get("k", 10))
    cursor.execute("SELECT id FROM logs WHERE kind = %s LIMIT %s", ("a", k))
    rows = cursor.fetchall()
    return rows
'''
    found = _inputs(py, path="app/views.py", language="python")
    assert [(i.source, i.field) if i else None for i in found] == [("request", "k")]
