"""``.env`` / ``.env.example`` files -> :class:`EnvVar` facts.

Values are kept only inside facts (rules read URL parameters such as ``connection_limit``);
they are never printed: renderers and rule messages must go through ``redact``.
"""

from __future__ import annotations

import re

from scalescope.model.facts import EnvVar
from scalescope.scan.extract.base import FileContext, extractor

_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*?)\s*$")


def _value(raw: str) -> str:
    raw = raw.strip()
    if raw[:1] in {"'", '"'}:
        quote = raw[0]
        end = raw.find(quote, 1)
        return raw[1:end] if end > 0 else raw[1:]
    return re.split(r"\s+#", raw, maxsplit=1)[0].strip()


@extractor(languages=("env",))
def env_file(ctx: FileContext) -> None:
    """One :class:`EnvVar` per ``NAME=value`` line."""
    for idx, line in enumerate(ctx.lines[:5000]):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _LINE.match(line)
        if m:
            ctx.emit(EnvVar(ctx.line_loc(idx + 1), name=m.group(1), value=_value(m.group(2))[:2000]))
