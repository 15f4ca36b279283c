"""Declared maximum lengths of request list fields (pydantic) -> :class:`InputListLimit`.

``items: list[Item] = Field(max_length=50)`` (``max_items`` in pydantic 1),
``items: conlist(Item, max_length=50)``, ``Annotated[list[Item], Field(max_length=50)]``
and DRF ``ListField(max_length=50)`` / ``ListSerializer(max_length=50)``, in a class body.
"""

from __future__ import annotations

import re

from scalescope.model.facts import InputListLimit
from scalescope.scan.extract.base import FileContext, captures, extractor

# a field line: ``name: <annotation> = <value>`` or ``name = serializers.ListField(...)``
_FIELD = re.compile(r"^\s*([A-Za-z_]\w*)\s*(?::\s*([^=\n]+))?(?:=\s*(.+))?$")
_MAX = re.compile(r"\bmax_(?:length|items)\s*=\s*(\d[\d_]*)")
_LISTISH = re.compile(r"\b(?:list|List|Sequence|set|Set|tuple|conlist|conset|ListField|ListSerializer)\b")


@extractor(languages=("python",), needs=("max_length", "max_items"))
def input_limits(ctx: FileContext) -> None:
    for cls in captures("python", "(class_definition) @c", ctx.root).get("c", []):
        body = cls.child_by_field_name("body")
        name = cls.child_by_field_name("name")
        if body is None or name is None:
            continue
        for stmt in body.named_children:
            if stmt.type != "expression_statement":
                continue
            text = ctx.node_text(stmt)
            m = _FIELD.match(" ".join(text.split()))
            bound = _MAX.search(text)
            if m is None or bound is None or not _LISTISH.search(text):
                continue
            if "conlist" not in text and "Field" not in text:
                continue
            ctx.emit(
                InputListLimit(
                    ctx.loc(stmt),
                    name=m.group(1),
                    max_items=int(bound.group(1).replace("_", "")),
                    schema=ctx.node_text(name),
                    library="drf" if "ListField" in text or "ListSerializer" in text else "pydantic",
                )
            )
