"""Which response sizes an endpoint serves (``audit/size_variants.py``): page sizes, filter values
and ids the app itself exposes, found through a fake shop."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from scalescope.audit.size_variants import QueryParam, collect_values, discover, openapi_params, template_for
from tests.audit.fake_shop import CATEGORIES, FakeShop, openapi_document


def test_openapi_query_parameters() -> None:
    params = openapi_params(openapi_document())
    assert params["/products"] == [QueryParam("category", "string")]
    assert params["/products/{product_id}"] == []  # path parameters are not query parameters
    limit, status = params["/orders"]
    assert limit == QueryParam("limit", "integer", maximum=100.0) and limit.page_size
    assert status.enum == ("open", "paid") and not status.page_size
    assert params["/legacy"][0].page_size  # Swagger 2: the type sits on the parameter itself
    assert "/create" not in params
    assert template_for("/products/7", params) == "/products/{product_id}"
    assert template_for("/products?category=x", params) == "/products"
    assert template_for("/nowhere", params) is None


def test_filter_values_come_from_the_endpoints_own_response() -> None:
    shop = FakeShop()
    values = collect_values([shop("/products")[1]])
    assert sorted(values["category"]) == sorted(CATEGORIES)
    varied, variants = discover("/products", "/products", [QueryParam("category", "string")], values, shop)
    assert varied == "query parameter category"
    assert [v.items for v in variants] == [20, 36, 60, 100, 184, 400]  # smallest first, the base last
    assert variants[-1].path == "/products" and variants[0].path == "/products?category=music"


def test_a_bounded_endpoint_still_shows_its_sizes() -> None:
    shop = FakeShop(cap=50)
    values = collect_values([shop("/products")[1]])
    _, variants = discover("/products", "/products", [QueryParam("category", "string")], values, shop)
    assert [v.items for v in variants] == [20, 36, 50]


def test_declared_page_size_within_its_maximum() -> None:
    seen: list[str] = []

    def fetch(path: str) -> tuple[int | None, bytes, float]:
        seen.append(path)
        n = int(parse_qs(urlsplit(path).query).get("limit", ["100"])[0])
        return 200, json.dumps([{"i": i} for i in range(n)]).encode(), 0.001

    limit = QueryParam("limit", "integer", maximum=100.0)
    varied, variants = discover("/orders", "/orders", [limit], {}, fetch)
    assert varied == "page size ?limit="
    assert sorted(v.items or 0 for v in variants) == [1, 5, 20, 50, 100]
    assert not any("limit=200" in p for p in seen)  # never past the declared maximum


def test_without_a_document_a_conventional_page_size_the_app_honours() -> None:
    shop = FakeShop()
    varied, variants = discover("/items", "/items", None, {}, shop)
    assert varied == "page size ?per_page="
    sizes = [v.items for v in variants]
    assert sizes[0] == 1 and sizes[-1] == 300
    # an app that ignores such parameters shows one size: nothing to measure
    assert discover("/pages", "/pages", None, {}, FakeShop()) == ("", [])


def test_path_parameter_values_from_the_apps_responses() -> None:
    shop = FakeShop()
    values = collect_values([shop("/users")[1]])
    varied, variants = discover("/users/{userId}/orders", "/users/1/orders", None, values, shop)
    assert varied == "path parameter userId"
    assert sorted(v.items or 0 for v in variants) == [3, 12, 40, 90]
    # one product at a time: the same size whatever the id, so no series
    values = collect_values([shop("/products")[1]])
    assert discover("/products/{product_id}", "/products/1", [], values, shop) == ("", [])
