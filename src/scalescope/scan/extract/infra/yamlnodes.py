"""YAML with line numbers for the deployment extractors (docker-compose, Kubernetes, Helm).

PyYAML's composer already records where every node starts; working on the node graph (rather
than on plain Python values) keeps the line of each mapping key and value. Helpers here read
that graph without ever raising on odd input.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import yaml

_DOC_SPLIT = re.compile(r"^---[ \t]*(?:#.*)?$", re.MULTILINE)
MAX_YAML_BYTES = 1024 * 1024


def documents(text: str) -> list[yaml.Node]:
    """Every YAML document of ``text`` as a node tree. A document that fails to parse (Helm
    templates, tabs, duplicate anchors) is skipped, its siblings are kept."""
    if len(text) > MAX_YAML_BYTES:
        return []
    try:
        return [d for d in yaml.compose_all(text, Loader=yaml.CSafeLoader) if d is not None]
    except yaml.YAMLError:
        pass
    except Exception:
        return []
    out: list[yaml.Node] = []
    offset = 0
    for chunk in _DOC_SPLIT.split(text):
        try:
            node = yaml.compose(chunk, Loader=yaml.CSafeLoader)
        except Exception:
            node = None
        if node is not None:
            _shift(node, offset)
            out.append(node)
        offset += chunk.count("\n") + 1
    return out


def _shift(node: yaml.Node, lines: int) -> None:
    if lines == 0:
        return
    seen: set[int] = set()
    stack = [node]
    while stack:
        cur = stack.pop()
        if id(cur) in seen:
            continue
        seen.add(id(cur))
        cur.start_mark.line += lines
        cur.end_mark.line += lines
        if isinstance(cur, yaml.MappingNode):
            for k, v in cur.value:
                stack.extend((k, v))
        elif isinstance(cur, yaml.SequenceNode):
            stack.extend(cur.value)


def line(node: yaml.Node) -> int:
    """1-based line where ``node`` starts."""
    return int(node.start_mark.line) + 1


def end_line(node: yaml.Node) -> int:
    """1-based last line of ``node``: the end of its last scalar (block collections end where
    the next key starts, so their own end mark is not used)."""
    cur = node
    for _ in range(64):
        if isinstance(cur, yaml.MappingNode) and cur.value:
            cur = cur.value[-1][1]
        elif isinstance(cur, yaml.SequenceNode) and cur.value:
            cur = cur.value[-1]
        else:
            break
    end = int(cur.end_mark.line) + 1
    if cur.end_mark.column == 0 and end > line(cur):
        end -= 1
    return max(end, line(node))


def items(node: yaml.Node | None) -> Iterator[tuple[str, yaml.Node, yaml.Node]]:
    """``(key, key node, value node)`` of a mapping with scalar keys."""
    if not isinstance(node, yaml.MappingNode):
        return
    merged: list[yaml.Node] = []
    own: set[str] = set()
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode):
            if key.tag.endswith(":merge") or key.value == "<<":
                merged.extend(value.value if isinstance(value, yaml.SequenceNode) else [value])
                continue
            own.add(str(key.value))
            yield str(key.value), key, value
    for base in merged[:8]:
        if base is node:
            continue
        for key, value in base.value if isinstance(base, yaml.MappingNode) else []:
            if isinstance(key, yaml.ScalarNode) and str(key.value) not in own:
                own.add(str(key.value))
                yield str(key.value), key, value


def get(node: yaml.Node | None, *path: str) -> yaml.Node | None:
    """Value node at ``path`` in nested mappings, or ``None``."""
    cur = node
    for name in path:
        found = None
        for key, _, value in items(cur):
            if key == name:
                found = value
                break
        if found is None:
            return None
        cur = found
    return cur


def key_node(node: yaml.Node | None, name: str) -> yaml.ScalarNode | None:
    """The key node of ``name`` in a mapping (its line is where the key is written)."""
    for key, knode, _ in items(node):
        if key == name and isinstance(knode, yaml.ScalarNode):
            return knode
    return None


def scalar(node: yaml.Node | None) -> str | None:
    """Text of a scalar node (``None`` for mappings, sequences and nulls)."""
    if isinstance(node, yaml.ScalarNode):
        if node.tag.endswith(":null"):
            return None
        return str(node.value)
    return None


def as_int(node: yaml.Node | None) -> int | None:
    raw = scalar(node)
    if raw is None:
        return None
    try:
        return int(raw.strip().strip("'\""))
    except ValueError:
        return None


def seq(node: yaml.Node | None) -> list[yaml.Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def flat_text(node: yaml.Node | None) -> str:
    """A scalar, or a sequence of scalars joined by spaces (compose ``command`` forms)."""
    raw = scalar(node)
    if raw is not None:
        return raw
    return " ".join(s for s in (scalar(n) for n in seq(node)) if s is not None)


def flatten(node: yaml.Node | None, prefix: str = "", depth: int = 0) -> list[tuple[str, str]]:
    """Nested mapping as dotted ``(key, scalar text)`` pairs (resources, limits...)."""
    out: list[tuple[str, str]] = []
    for key, _, value in items(node):
        full = f"{prefix}{key}"
        if isinstance(value, yaml.MappingNode) and depth < 5:
            out.extend(flatten(value, full + ".", depth + 1))
        else:
            text = flat_text(value)
            out.append((full, text[:200]))
    return out
