"""Unbounded-list (SC-DB-004) and missing-index (SC-DB-006) findings read how the table grows:
low confidence on a catalog table, saying why; the growth driver named on a growing table."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalescope.report.model import Finding
from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import all_rules

FIXTURES = Path(__file__).resolve().parents[1] / "model" / "fixtures"


def _findings(fixture: str, rule_id: str) -> dict[int, Finding]:
    rule = next(r for r in all_rules() if r.meta.id == rule_id)
    config = ScanConfig(min_confidence="low", calibrated=False)
    report = scan(FIXTURES / fixture, config, rules=[rule], jobs=1)
    return {f.line: f for f in report.findings}


@pytest.fixture(scope="module")
def unbounded() -> dict[int, Finding]:
    return _findings("growth_node", "SC-DB-004")


@pytest.fixture(scope="module")
def unindexed() -> dict[int, Finding]:
    return _findings("growth_node", "SC-DB-006")


def test_unbounded_list_of_a_catalog_table_is_low_and_says_why(unbounded: dict[int, Finding]) -> None:
    plans = unbounded[8]
    assert plans.confidence == "low"
    assert plans.message.endswith(
        "`Plan` is written only by the seed script prisma/seed.ts and admin routes (POST /admin/plans, "
        "PUT /plans/:id): a catalog table, small by construction."
    )


def test_unbounded_list_of_a_growing_table_names_the_driver(unbounded: dict[int, Finding]) -> None:
    orders = unbounded[28]
    assert orders.confidence == "high"
    assert orders.message.endswith("`Order` grows with every POST /orders (insert at src/app.ts:24).")


def test_missing_index_on_a_catalog_table_is_low(unindexed: dict[int, Finding]) -> None:
    tier = unindexed[12]
    assert tier.confidence == "low" and "a catalog table" in tier.message


def test_missing_index_on_growing_tables_names_what_grows(unindexed: dict[int, Finding]) -> None:
    assert unindexed[32].confidence == "medium"
    assert "`Order` grows with every POST /orders" in unindexed[32].message
    assert unindexed[36].confidence == "medium"
    assert (
        "`Event` grows with time: a background job inserts into it (src/worker.ts:9)."
        in unindexed[36].message
    )
    # nothing inserts into notes: the finding is as before, with no growth sentence
    assert unindexed[40].confidence == "medium" and unindexed[40].message.endswith("`Note` table.")


def test_python_catalog_table_is_low_and_growing_ones_stay_medium() -> None:
    by_line = _findings("growth_django", "SC-DB-006")
    assert {line: f.confidence for line, f in by_line.items()} == {8: "low", 23: "medium", 27: "medium"}
    assert "a catalog table" in by_line[8].message
    assert "`shop_order` grows with every ANY /orders/new/" in by_line[23].message
