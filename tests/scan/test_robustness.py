"""Bad input never crashes the scan: random bytes and random source go through discover,
decode, parse and every extractor; the bad files are listed under ``skipped``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.extract.base import extract_file

LANGS = [
    "javascript",
    "typescript",
    "tsx",
    "python",
    "yaml",
    "prisma",
    "sql",
    "package-json",
    "requirements",
    "toml",
    "dockerfile",
    "env",
    "conf",
    "procfile",
    "ini",
]

_FRAGMENTS = [
    "app.get('/x', async (req, res) => {",
    "prisma.user.findMany({ where: {",
    "for (const a of b) {",
    "}",
    ")",
    "{",
    "@Controller('x')",
    "class A {",
    "def f(x):",
    "    for i in x:",
    "        db.query(User).filter(User.id == i).all()",
    "@app.get('/')",
    "redis.keys('*')",
    "services:",
    "  redis:",
    "    image: redis",
    "model User {",
    "  id Int @id",
    "CREATE TABLE t (a int);",
    "CREATE INDEX ON",
    '"dependencies": {',
    "`${",
    "'''",
    '"""',
    "\\",
    "\x00",
    "é",
    "\ud7ff",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lang=st.sampled_from(LANGS),
    parts=st.lists(st.sampled_from(_FRAGMENTS), max_size=40),
    noise=st.text(max_size=200),
)
def test_extract_never_raises(lang: str, parts: list[str], noise: str) -> None:
    text = "\n".join(parts) + noise
    result = extract_file("f", lang, text)
    assert not result.errors, result.errors


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(blobs=st.lists(st.binary(max_size=300), min_size=1, max_size=6))
def test_scan_random_bytes(tmp_path_factory: object, blobs: list[bytes]) -> None:
    import tempfile

    names = ["a.ts", "b.py", "c.yml", "d.prisma", "e.sql", "package.json"]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, blob in zip(names, blobs, strict=False):
            (root / name).write_bytes(blob)
        report = scan(root, ScanConfig(), jobs=1)
        assert report.files_scanned + len(report.skipped) == min(len(blobs), len(names))


def test_deep_nesting_and_syntax_errors(tmp_path: Path) -> None:
    (tmp_path / "deep.js").write_text("f(" * 5000 + ")" * 5000, encoding="utf-8")
    (tmp_path / "deep.py").write_text("x = " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    (tmp_path / "broken.ts").write_text("export const = ;;; {{{ ((( \n", encoding="utf-8")
    (tmp_path / "bad.yml").write_text("a: [\n  - : :\n\t\x01", encoding="utf-8")
    (tmp_path / "latin.py").write_bytes("x = 'caf\xe9'\n".encode("latin-1"))
    (tmp_path / "bin.py").write_bytes(b"\x00\x01\x02")
    report = scan(tmp_path, ScanConfig(), jobs=1)
    skipped = {s.file: s.reason for s in report.skipped}
    assert skipped["latin.py"] == "not UTF-8 text"
    assert skipped["bin.py"] == "binary file"
    assert not [n for n in report.notices if "error" in n.message and "nesting" not in n.message]


def test_unreadable_file_is_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file the OS refuses to open is skipped and listed, also when the tests run as root
    (root reads a chmod-0 file, so the refusal is simulated at the engine's open())."""
    import builtins

    import scalescope.scan.engine as engine

    (tmp_path / "ok.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "secret.py").write_text("y = 2\n", encoding="utf-8")
    real_open = builtins.open

    def refusing_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file).endswith("secret.py"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(engine, "open", refusing_open, raising=False)
    report = scan(tmp_path, ScanConfig(), jobs=1)
    assert {s.file: s.reason for s in report.skipped} == {"secret.py": "unreadable: Permission denied"}
    assert report.files_scanned == 1


def test_parallel_and_serial_agree(tmp_path: Path) -> None:
    for i in range(200):
        (tmp_path / f"m{i}.py").write_text(
            "from fastapi import FastAPI\nfrom models import User\napp = FastAPI()\n\n"
            f"@app.get('/users{i}')\ndef list_users{i}(db):\n    return db.query(User).all()\n",
            encoding="utf-8",
        )
    serial = scan(tmp_path, ScanConfig(min_confidence="low"), jobs=1)
    parallel = scan(tmp_path, ScanConfig(min_confidence="low"), jobs=2)
    assert serial.files_scanned == parallel.files_scanned == 200
    assert len(serial.findings) >= 200  # one unbounded list per route at least: never two empty lists
    assert [f.fingerprint for f in serial.findings] == [f.fingerprint for f in parallel.findings]


@pytest.mark.parametrize(
    ("name", "blob"),
    [
        ("declared.py", "# -*- coding: latin-1 -*-\nname = 'caf\xe9'\n".encode("latin-1")),
        (
            "second_line.py",
            "#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\nx = '\u20ac'\n".encode("cp1252"),
        ),
        ("bom16.ts", "\ufeffconst s = 'caf\xe9';\n".encode("utf-16")),
        ("bom8.py", "\ufeffx = 'caf\xe9'\n".encode("utf-8")),
    ],
)
def test_declared_encodings_and_boms_are_read(tmp_path: Path, name: str, blob: bytes) -> None:
    (tmp_path / name).write_bytes(blob)
    report = scan(tmp_path, ScanConfig(), jobs=1)
    assert report.skipped == ()
    assert report.files_scanned == 1


def test_coding_declaration_only_counts_on_the_first_two_lines(tmp_path: Path) -> None:
    (tmp_path / "late.py").write_bytes("x = 1\ny = 2\n# coding: latin-1\nz = 'caf\xe9'\n".encode("latin-1"))
    report = scan(tmp_path, ScanConfig(), jobs=1)
    assert {s.file: s.reason for s in report.skipped} == {"late.py": "not UTF-8 text"}
