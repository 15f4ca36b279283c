"""Discovery: what is read, what is skipped and why, and never a crash."""

from __future__ import annotations

import os
from pathlib import Path

from scalescope.scan.discover import classify, decode, discover


def _write(root: Path, rel: str, data: bytes | str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)


def test_classify() -> None:
    assert classify("src/app.ts") == "typescript"
    assert classify("src/App.tsx") == "tsx"
    assert classify("a/b.py") == "python"
    assert classify("docker-compose.yml") == "yaml"
    assert classify("prisma/schema.prisma") == "prisma"
    assert classify("Dockerfile.prod") == "dockerfile"
    assert classify(".env.example") == "env"
    assert classify("requirements-dev.txt") == "requirements"
    assert classify("package.json") == "package-json"
    assert classify("public/app.min.js") is None
    assert classify("types/index.d.ts") is None
    assert classify("README.md") is None


def test_skips_vendored_and_gitignored(tmp_path: Path) -> None:
    _write(tmp_path, "src/app.ts", "export const a = 1;\n")
    _write(tmp_path, "node_modules/x/index.js", "module.exports = 1;\n")
    _write(tmp_path, ".next/server.js", "x\n")
    _write(tmp_path, "venv/lib/a.py", "x = 1\n")
    _write(tmp_path, "generated/out.ts", "x\n")
    _write(tmp_path, "pkg/local.py", "x = 1\n")
    _write(tmp_path, ".gitignore", "generated/\n*.local.ts\n")
    _write(tmp_path, "pkg/.gitignore", "local.py\n")
    _write(tmp_path, "src/thing.local.ts", "x\n")
    found, _ = discover(tmp_path)
    assert [c.path for c in found] == ["src/app.ts"]


def test_config_exclude(tmp_path: Path) -> None:
    _write(tmp_path, "legacy/old.py", "x = 1\n")
    _write(tmp_path, "app.py", "x = 1\n")
    found, _ = discover(tmp_path, exclude=["legacy/"])
    assert [c.path for c in found] == ["app.py"]


def test_large_files_are_listed_as_skipped(tmp_path: Path) -> None:
    _write(tmp_path, "big.js", "a" * 5000)
    found, skipped = discover(tmp_path, max_bytes=1000)
    assert not found
    assert skipped[0].file == "big.js" and "larger than" in skipped[0].reason


def test_symlink_loop_is_harmless(tmp_path: Path) -> None:
    _write(tmp_path, "a/x.py", "x = 1\n")
    os.symlink(tmp_path / "a", tmp_path / "a" / "loop")
    os.symlink(tmp_path / "missing", tmp_path / "dangling.py")
    found, skipped = discover(tmp_path)
    assert [c.path for c in found] == ["a/x.py"]
    assert any(s.file == "dangling.py" for s in skipped)


def test_decode() -> None:
    assert decode(b"\x00\x01binary")[0] is None
    assert decode("caf\xe9".encode("latin-1")) == (None, "not UTF-8 text")
    assert decode(b"\xef\xbb\xbfx = 1\n") == ("x = 1\n", "")
    text, reason = decode(b"var a=" + b"1," * 20000 + b"\n")
    assert text is None and "minified" in reason


def test_test_files_are_excluded_by_default(tmp_path: Path) -> None:
    for rel in (
        "app/views.py",
        "app/tests/test_views.py",
        "test_x.py",
        "conftest.py",
        "src/a.spec.ts",
        "src/__tests__/b.ts",
        "src/b.test.tsx",
        "src/contest.py",
    ):
        _write(tmp_path, rel, "x = 1\n")
    stats: dict[str, int] = {}
    found, skipped = discover(tmp_path, stats=stats)
    assert [c.path for c in found] == ["app/views.py", "src/contest.py"]
    assert stats["tests_excluded"] == 6 and not skipped
    found, _ = discover(tmp_path, include_tests=True)
    assert len(found) == 8


def test_files_that_may_name_functions_are_listed_as_references(tmp_path: Path) -> None:
    _write(tmp_path, "src/app.py", "x = 1\n")
    _write(tmp_path, "tests/test_app.py", "from src.app import x\n")
    _write(tmp_path, "templates/home.html", "{{ url_for('home') }}\n")
    _write(tmp_path, "web/App.vue", "<template></template>\n")
    _write(tmp_path, "node_modules/lib/page.html", "\n")
    _write(tmp_path, "docs/logo.png", b"\x89PNG")
    references: list[str] = []
    found, _ = discover(tmp_path, references=references)
    assert [c.path for c in found] == ["src/app.py"]
    assert sorted(references) == ["templates/home.html", "tests/test_app.py", "web/App.vue"]
