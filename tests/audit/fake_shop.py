"""A fake JSON shop standing in for HTTP in the latency-against-size tests: a ``Fetch``
(``path -> (status, body, seconds)``) and the OpenAPI document it would serve."""

from __future__ import annotations

import json
import random
from urllib.parse import parse_qs, urlsplit

CATEGORIES = {"books": 184, "games": 100, "garden": 60, "kitchen": 36, "music": 20}
_SHUFFLED = [c for c, n in CATEGORIES.items() for _ in range(n)]
random.Random(42).shuffle(_SHUFFLED)
PRODUCTS = [{"id": i, "name": f"product {i}", "category": c} for i, c in enumerate(_SHUFFLED, start=1)]
ORDERS = {1: 3, 2: 40, 3: 12, 4: 90}  # user id -> orders


class FakeShop:
    """A JSON app: /products (unbounded, ?category=), /products/{id}, /users, /users/{id}/orders,
    /items (honours ?per_page=), /pages (ignores every parameter)."""

    def __init__(self, cap: int | None = None) -> None:
        self.cap = cap
        self.fetched: list[str] = []

    def __call__(self, path: str) -> tuple[int | None, bytes, float]:
        self.fetched.append(path)
        parts = urlsplit(path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        segs = [s for s in parts.path.split("/") if s]
        body: object
        if segs == ["products"]:
            body = [p for p in PRODUCTS if "category" not in query or p["category"] == query["category"]]
            if self.cap is not None:
                body = body[: self.cap]
        elif len(segs) == 2 and segs[0] == "products":
            body = PRODUCTS[int(segs[1]) - 1]
        elif segs == ["users"]:
            body = [{"id": u} for u in ORDERS]
        elif len(segs) == 3 and segs[0] == "users" and segs[2] == "orders":
            body = [{"order": n, "total": 10 * n} for n in range(ORDERS.get(int(segs[1]), 0))]
        elif segs == ["items"]:
            body = [{"n": n} for n in range(min(300, int(query.get("per_page", 300))))]
        elif segs == ["pages"]:
            body = {"results": [{"n": n} for n in range(50)], "count": 50}
        else:
            return 404, b"", 0.001
        return 200, json.dumps(body).encode(), 0.002


def openapi_document() -> dict[str, object]:
    optional_string = {"anyOf": [{"type": "string"}, {"type": "null"}]}
    return {
        "openapi": "3.1.0",
        "paths": {
            "/products": {
                "get": {"parameters": [{"name": "category", "in": "query", "schema": optional_string}]}
            },
            "/products/{product_id}": {
                "get": {"parameters": [{"name": "product_id", "in": "path", "schema": {"type": "integer"}}]}
            },
            "/orders": {
                "parameters": [{"$ref": "#/components/parameters/Limit"}],
                "get": {
                    "parameters": [
                        {
                            "name": "status",
                            "in": "query",
                            "schema": {"enum": ["open", "paid"], "type": "string"},
                        }
                    ]
                },
            },
            "/legacy": {"get": {"parameters": [{"name": "per_page", "in": "query", "type": "integer"}]}},
            "/create": {"post": {}},
        },
        "components": {
            "parameters": {
                "Limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}}
            }
        },
    }
