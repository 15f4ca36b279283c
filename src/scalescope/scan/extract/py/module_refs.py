"""Modules named by dotted strings: ``app.config.from_object("shop.configs.default.Config")``,
``include("shop.urls")``, ``"shop.middleware.Timing"`` in settings, Celery ``include=[...]``.

Python loads these at run time, so a module named only this way is not one imported by
nothing. Each string becomes an :class:`Import` with an empty ``local`` (nothing to resolve
calls through) for the module and, when the last part looks like an attribute (a class or a
name after the module), for the module without it.
"""

from __future__ import annotations

import re

from scalescope.model.facts import Import
from scalescope.scan.extract.base import FileContext, extractor

# possessive ``\w*+``: what follows a run of word characters (a dot or the closing quote) is never
# one, so giving characters back cannot match and only costs a retry per character of every
# quoted word that is no dotted name
_DOTTED = re.compile(r"([\"'])([A-Za-z_]\w*+(?:\.[A-Za-z_]\w*+)+)\1")


@extractor(languages=("python",))
def dotted_module_refs(ctx: FileContext) -> None:
    """Emit an :class:`Import` (``local=""``) per dotted string that may name a module."""
    seen: set[str] = set()
    text = ctx.text
    line, counted = 1, 0  # lines counted from the previous match on, not from the file's start
    for m in _DOTTED.finditer(text):
        dotted = m.group(2)
        if dotted in seen:
            continue
        seen.add(dotted)
        line += text.count("\n", counted, m.start())
        counted = m.start()
        module, _, attr = dotted.rpartition(".")
        ctx.emit(Import(ctx.line_loc(line), "", dotted, ""))
        if (module and "." in module) or (module and attr[:1].isupper()):
            ctx.emit(Import(ctx.line_loc(line), "", module, ""))
