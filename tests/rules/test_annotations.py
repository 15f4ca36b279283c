"""The fixture annotations carry the expected confidence: plain ``ruleid:`` places must be
visible at the default min-confidence, ``ruleid: ID low`` / ``ruleid: ID (low: why)`` places
must be reported at low confidence."""

from __future__ import annotations

from pathlib import Path

from tests.rules.annotations import collect

SOURCE = """def f(rows):
    # ruleid: SC-DB-004
    a = q.all()
    # ruleid: SC-DB-004 low
    b = q.all()
    # ruleid: SC-DB-004 (low: a seed script)
    c = q.all()
    # ruleid: SC-DB-004 (high: a public route)
    d = q.all()
    # ruleid: SC-DB-003, SC-DB-004 low
    e = q.all()
    # ok: SC-DB-004 low
    g = q.all()
"""


def test_low_annotations(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(SOURCE)
    exp = collect(tmp_path, "SC-DB-004")
    assert exp.expected == {("app.py", n) for n in (3, 5, 7, 9, 11)}
    assert exp.low == {("app.py", 5), ("app.py", 7), ("app.py", 11)}
    assert exp.ok == {("app.py", 13)}  # "low" after ok: means nothing
    assert collect(tmp_path, "SC-DB-003").low == {("app.py", 11)}
