"""SC-DB-102 on the bundled example and its fixed twin: GET /products of ``audit-shop`` returns
every product (20 to 400 of them by category), so its latency grows with the data; in
``audit-shop-fixed`` a page holds at most 50, and over the sizes it serves the latency stays
flat. Each app runs on its own SQLite file; the sizes come from the app's own OpenAPI document
and responses, as in the audit."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from scalescope.audit.app import AppProcess, free_port, wait_healthy
from scalescope.audit.datasize import NOISE, SizeSeries, size_series
from scalescope.audit.measure import Measurer
from scalescope.audit.size_variants import http_fetch, openapi_params
from scalescope.audit.traffic import fetch_openapi
from scalescope.load.config import RequestSpec
from scalescope.load.scenario import parse_target
from tests.ci import cannot_run_here

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
START = f"{sys.executable} -m uvicorn app.main:app --host 127.0.0.1 --port {{port}} --log-level warning"
MIX = (
    RequestSpec(name="GET /products", path="/products"),
    RequestSpec(name="GET /products/{product_id}", path="/products/1"),
    RequestSpec(name="GET /orders", path="/orders"),
)


def _series(example: str, tmp_path: Path) -> list[SizeSeries]:
    port = free_port()
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / (example + '.db')}", "REDIS_URL": ""}
    app = AppProcess(START, cwd=EXAMPLES / example, port=port, env=env, log_path=tmp_path / f"{example}.log")
    app.start()
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url + "/health", timeout_s=30, app=app)
        document = fetch_openapi(url)
        assert document is not None, "FastAPI serves /openapi.json"
        target, _ = parse_target(url)
        measurer = Measurer(target, MIX, step_s=2.0)
        return size_series(MIX, openapi_params(document[1]), http_fetch(url), measurer.interleaved)
    finally:
        app.stop(grace_s=5)
        assert not app.alive()


def test_unbounded_list_latency_grows_with_the_data(tmp_path: Path) -> None:
    series = {s.endpoint: s for s in _series("audit-shop", tmp_path)}
    products = series["GET /products"]
    assert products.varied == "query parameter category"
    assert [p.items for p in products.points] == [20, 36, 60, 100, 184, 400], products.points
    assert products.fit is not None
    if not products.grows and NOISE in products.why:
        # twice as spread as the effect: the machine was too busy to tell (the audit says so)
        # CI runs alone on its machine: that is a defect there
        cannot_run_here(
            "this machine was too busy to measure latency against size: " + products.why, products.why
        )
    assert products.grows, products.why
    assert products.fit.slope_ms_per_kb > 0 and products.fit.r2 >= 0.8
    # only GET /products changes size: one product at a time, and at most 50 orders
    assert not any(s.grows for name, s in series.items() if name != "GET /products")


def test_bounded_twin_does_not_fire(tmp_path: Path) -> None:
    series = {s.endpoint: s for s in _series("audit-shop-fixed", tmp_path)}
    products = series.get("GET /products")
    if products is None:
        pytest.fail("the fixed twin still serves 20, 36 and 50 products by category: it should be measured")
    assert [p.items for p in products.points] == [20, 36, 50]
    # on a quiet machine the verdict is "only from 2.1 to 2.6 ms ... the range the app serves"; on
    # a busy one the slope may not even be clear: either way it does not fire
    assert not products.grows, products.why
    assert not any(s.grows for s in series.values())
