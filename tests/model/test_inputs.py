"""Request input that sizes queries (model/inputs.py): a query limit traced to a request field
through one call, the field's declared maximum, DRF page-size policies."""

from __future__ import annotations

from pathlib import Path

from scalescope.model.facts import DataAccess
from scalescope.model.project import ProjectModel
from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import build_project


def _model(tmp_path: Path, files: dict[str, str]) -> ProjectModel:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    model, _, _ = build_project(tmp_path, ScanConfig(), jobs=1)
    return model


def _sources(model: ProjectModel) -> dict[int, tuple[str, str, str] | None]:
    """line of each traced query -> (field, the caller's file or "", schema)."""
    out: dict[int, tuple[str, str, str] | None] = {}
    for access in model.all(DataAccess):
        if access.limit_input is None:
            continue
        found = model.request_inputs.limit_source(access)
        out[access.loc.line] = (
            (found.field, found.through.loc.file if found.through else "", found.schema) if found else None
        )
    return out


NODE_SERVICE = """import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();

export function byOptions({ take }: { take: number }) {
  return prisma.order.findMany({ take });
}
export function byDto(query: ListDto) {
  return prisma.order.findMany({ take: query.perPage });
}
export function byConstant(size: number) {
  return prisma.order.findMany({ take: size });
}
"""

NODE_ROUTES = """import express from "express";
import { byOptions, byDto, byConstant } from "./service";
const app = express();
app.get("/a", (req, res) => res.json(byOptions({ take: Number(req.query.take) })));
app.get("/b", (req, res) => res.json(byDto(ListQuery.parse(req.query))));
app.get("/c", (req, res) => res.json(byConstant(25)));
"""


def test_a_parameter_filled_from_the_request_by_a_caller(tmp_path: Path) -> None:
    model = _model(
        tmp_path,
        {
            "package.json": '{"dependencies": {"express": "4", "@prisma/client": "5"}}',
            "src/service.ts": NODE_SERVICE,
            "src/app.ts": NODE_ROUTES,
        },
    )
    assert _sources(model) == {
        5: ("take", "src/app.ts", ""),
        8: ("perPage", "src/app.ts", "ListQuery"),
        11: None,  # every caller passes a constant
    }


PY_REPO = """from sqlalchemy.orm import Session


class ItemRepo:
    def page(self, db: Session, limit: int):
        return db.query(Item).order_by(Item.id).limit(limit).all()


def get_items(db: Session, skip: int = 0, limit: int = 100):
    return db.query(Item).order_by(Item.id).offset(skip).limit(limit).all()
"""

PY_ROUTES = """from fastapi import APIRouter, Depends

from app.repo import ItemRepo, get_items

router = APIRouter()
repo = ItemRepo()


@router.get("/a")
def a(limit: int = 20, db: Session = Depends(get_db)):
    return repo.page(db, limit)


@router.get("/b")
def b(size: int = 20, db: Session = Depends(get_db)):
    return get_items(db, limit=size)
"""


def test_python_positions_skip_self_and_keywords_match_by_name(tmp_path: Path) -> None:
    model = _model(
        tmp_path,
        {"requirements.txt": "fastapi\nsqlalchemy\n", "app/repo.py": PY_REPO, "app/routes.py": PY_ROUTES},
    )
    assert _sources(model) == {6: ("limit", "app/routes.py", ""), 10: ("size", "app/routes.py", "")}


def test_declared_maximum_prefers_the_fields_own_schema(tmp_path: Path) -> None:
    model = _model(
        tmp_path,
        {
            "src/schemas.ts": (
                'import { z } from "zod";\n'
                "export const A = z.object({ limit: z.number().max(500) });\n"
                "export const B = z.object({ limit: z.number().max(50) });\n"
            )
        },
    )
    inputs = model.request_inputs
    own = inputs.declared_max("limit", "A")
    smallest = inputs.declared_max("limit")
    assert own is not None and own.maximum == 500
    assert smallest is not None and smallest.maximum == 50
    assert inputs.declared_max("pageSize") is None


def test_drf_policies_follow_the_class_chain(tmp_path: Path) -> None:
    model = _model(
        tmp_path,
        {
            "shop/pagination.py": (
                "from rest_framework.pagination import PageNumberPagination\n\n\n"
                "class Big(PageNumberPagination):\n"
                '    page_size_query_param = "page_size"\n\n\n'
                "class Capped(Big):\n"
                "    max_page_size = 100\n"
            ),
            "shop/views.py": (
                "from .pagination import Big, Capped\n\n\n"
                "class Orders(ViewSet):\n"
                "    pagination_class = Big\n\n\n"
                "class Products(ViewSet):\n"
                "    pagination_class = Capped\n"
            ),
            "config/settings.py": (
                "REST_FRAMEWORK = {\n"
                '    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",\n'
                "}\n"
            ),
        },
    )
    policies = {
        (p.name, p.param, p.loc.file, p.loc.line, p.maximum.maximum if p.maximum else None)
        for p in model.request_inputs.page_size_policies()
    }
    assert policies == {
        ("Big", "page_size", "shop/pagination.py", 5, None),
        ("Capped", "page_size", "shop/pagination.py", 8, 100),
        ("LimitOffsetPagination", "limit", "config/settings.py", 2, None),
    }
