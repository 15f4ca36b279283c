"""Names that carry a function's input, for both ecosystems' extractors: a function's
parameters plus the locals assigned from them (``a = req.body.x``, then ``b = f(a)``)."""

from __future__ import annotations

import re

#: ``name = expression`` on one line (JS ``const``/``let``/``var`` and a type annotation allowed);
#: not ``==``/``=>``
ASSIGN = re.compile(r"(?:\b(?:const|let|var)\s+)?([A-Za-z_$][\w$]*)\s*(?::[^=\n]*)?=(?![=>])\s*([^\n;]+)")


def derived_names(body: str, inputs: set[str], word: re.Pattern[str]) -> set[str]:
    """``inputs`` plus the names assigned in ``body`` from an expression that mentions one of them
    (two passes, so one level of indirection is followed); ``word`` matches an identifier of the
    language."""
    names = set(inputs)
    for _ in range(2):
        for m in ASSIGN.finditer(body):
            if m.group(1) not in names and names & set(word.findall(m.group(2))):
                names.add(m.group(1))
    return names
