"""Declared number maximums of an OpenAPI / Swagger document -> :class:`InputLimit`.

A request validator built from the API document (express-openapi-validator, connexion,
committee, fastify-openapi-glue...) rejects a query parameter or body property above its
``maximum``, so the document is where such a project declares its page-size bounds:
``parameters: [{name: limit, in: query, schema: {type: integer, maximum: 100}}]`` (OpenAPI 3;
``maximum`` beside ``type`` in Swagger 2) and ``properties: {limit: {type: integer, maximum:
100}}`` of a request schema. ``exclusiveMaximum: 101`` (OpenAPI 3.1) is recorded as 100.
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from scalescope.model.facts import InputLimit
from scalescope.scan.extract.base import FileContext, extractor
from scalescope.scan.extract.infra.yamlnodes import as_int, documents, get, items, line, scalar

_MAX_NODES = 200_000


@extractor(languages=("yaml",), needs=("maximum",))
def openapi_limits(ctx: FileContext) -> None:
    for doc in documents(ctx.text):
        if get(doc, "openapi") is None and get(doc, "swagger") is None:
            continue
        for name, node in _bounded(doc):
            bound = _maximum(node)
            if bound is not None:
                ctx.emit(
                    InputLimit(
                        ctx.line_loc(line(node)), name=name, maximum=bound, library="openapi", measure="value"
                    )
                )


def _maximum(node: yaml.Node) -> int | None:
    """``maximum`` of a parameter / property (or of its ``schema``)."""
    for holder in (node, get(node, "schema")):
        found = as_int(get(holder, "maximum"))
        if found is not None:
            return found
        exclusive = as_int(get(holder, "exclusiveMaximum"))
        if exclusive is not None:
            return exclusive - 1
    return None


def _bounded(doc: yaml.Node) -> Iterator[tuple[str, yaml.Node]]:
    """``(field name, node)`` of every parameter object (``name:`` + ``in:``) and every
    ``properties`` entry of the document."""
    stack: list[yaml.Node] = [doc]
    seen = 0
    while stack and seen < _MAX_NODES:
        node = stack.pop()
        seen += 1
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
            continue
        if not isinstance(node, yaml.MappingNode):
            continue
        name = scalar(get(node, "name"))
        if name and get(node, "in") is not None:
            yield name, node
        for key, _, value in items(node):
            if key == "properties" and isinstance(value, yaml.MappingNode):
                for prop, _, schema in items(value):
                    yield prop, schema
            stack.append(value)
