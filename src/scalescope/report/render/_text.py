"""Small formatting helpers shared by the human-readable renderers (terminal, markdown, html).

Everything here is a pure function of its arguments: labels, plurals, language tags from
file names, Markdown escaping, links to the code and heading anchors. Nothing here reads the
clock, the environment or the file system.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath
from urllib.parse import quote

from scalescope.report.model import SEVERITIES, SEVERITY_RANK, Finding, ScanReport

CATEGORY_LABELS = {
    "database": "Database",
    "caching": "Caching",
    "rate-limiting": "Rate limiting",
    "async-processing": "Async processing",
    "horizontal-scaling": "Horizontal scaling",
    "availability": "Availability",
    "resource-management": "Resource management",
    "observability": "Observability",
    "security": "Security",
    "infrastructure": "Infrastructure",
    "frontend": "Frontend",
}

_FENCE_LANGUAGES = {
    ".ts": "ts",
    ".mts": "ts",
    ".cts": "ts",
    ".tsx": "tsx",
    ".js": "js",
    ".mjs": "js",
    ".cjs": "js",
    ".jsx": "jsx",
    ".py": "python",
    ".pyi": "python",
    ".yml": "yaml",
    ".yaml": "yaml",
    ".prisma": "prisma",
    ".sql": "sql",
    ".json": "json",
    ".toml": "toml",
    ".ini": "ini",
    ".cfg": "ini",
    ".conf": "nginx",
    ".env": "dotenv",
    ".sh": "bash",
    ".txt": "text",
}
_FENCE_NAMES = {
    "dockerfile": "dockerfile",
    "procfile": "text",
    "requirements.txt": "text",
    "redis.conf": "text",
    "package.json": "json",
    "pyproject.toml": "toml",
}
# Markdown fence tag -> Pygments lexer name (terminal highlighting); unknown tags are plain text.
_LEXERS = {
    "ts": "typescript",
    "tsx": "tsx",
    "js": "javascript",
    "jsx": "jsx",
    "python": "python",
    "yaml": "yaml",
    "sql": "sql",
    "json": "json",
    "toml": "toml",
    "ini": "ini",
    "nginx": "nginx",
    "dotenv": "bash",
    "bash": "bash",
    "dockerfile": "docker",
    "sh": "bash",
    "shell": "bash",
    "typescript": "typescript",
    "javascript": "javascript",
    "py": "python",
    "yml": "yaml",
}


def category_label(category: str) -> str:
    """Human label of a category (``rate-limiting`` -> ``Rate limiting``)."""
    return CATEGORY_LABELS.get(category, category.replace("-", " ").capitalize())


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 file``, ``2 files`` (``many`` for irregular plurals)."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def join_words(items: Sequence[str], last: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def location(finding: Finding) -> str:
    """``file:line`` or ``file:line-end`` (just the file when the line is unknown)."""
    if finding.line < 1:
        return finding.file
    if finding.end_line > finding.line:
        return f"{finding.file}:{finding.line}-{finding.end_line}"
    return f"{finding.file}:{finding.line}"


def fence_language(path: str) -> str:
    """The Markdown fence tag for a file, from its name or extension (``text`` if unknown)."""
    name = PurePosixPath(path).name.lower()
    if name in _FENCE_NAMES:
        return _FENCE_NAMES[name]
    if name.startswith("dockerfile") or name.endswith(".dockerfile"):
        return "dockerfile"
    if name.startswith(".env"):
        return "dotenv"
    if name.startswith("docker-compose") or name.startswith("compose."):
        return "yaml"
    return _FENCE_LANGUAGES.get(PurePosixPath(name).suffix, "text")


def lexer_name(language: str) -> str:
    """A Pygments lexer name for a fence tag or language name (``text`` when unknown)."""
    return _LEXERS.get(language.lower(), "text")


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """``{severity: count}`` over all five severities, in severity order."""
    counts = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    return counts


def counts_phrase(counts: dict[str, int], zero: str = "no findings") -> str:
    """``1 critical, 2 high and 1 low`` from severity counts (``zero`` when all are 0)."""
    parts = [f"{n} {sev}" for sev, n in counts.items() if n]
    return join_words(parts) if parts else zero


def file_counts(report: ScanReport) -> list[tuple[str, int, str]]:
    """``(file, findings, worst severity)`` for ``report.key_files`` (in that order), or, when the
    report names no key files, for every file with findings (most findings first)."""
    counts: Counter[str] = Counter(f.file for f in report.findings)
    worst_sev: dict[str, str] = {}
    for f in report.findings:
        current = worst_sev.get(f.file)
        if current is None or SEVERITY_RANK.get(f.severity, 9) < SEVERITY_RANK.get(current, 9):
            worst_sev[f.file] = f.severity
    files = list(report.key_files) or [f for f, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return [(f, counts.get(f, 0), worst_sev.get(f, "")) for f in files]


def stack_summary(stack: dict[str, list[str]]) -> str:
    """``framework: express · orm: prisma`` (``not detected`` when empty)."""
    parts = [f"{kind}: {', '.join(names)}" for kind, names in stack.items() if names]
    return " · ".join(parts) if parts else "not detected"


_STACK_ORDER = ("framework", "orm", "database", "cache", "queue")


def stack_names(stack: dict[str, list[str]]) -> list[str]:
    """Every detected name, frameworks first, then ORMs, databases, caches, queues, the rest."""
    seen: dict[str, None] = {}
    kinds = sorted(stack, key=lambda k: (_STACK_ORDER.index(k) if k in _STACK_ORDER else 99, k))
    for kind in kinds:
        names = stack[kind]
        for name in names:
            seen.setdefault(name, None)
    return list(seen)


def duration_text(seconds: float) -> str:
    """``0.84 s`` / ``12.3 s`` / ``2 min 05 s``."""
    if seconds < 10:
        return f"{seconds:.2f} s"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s"


# ------------------------------------------------------------------------------ Markdown

_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
# ``_`` between two word characters (``pool_size``) never starts emphasis in GFM: kept readable.
_MD_SPECIAL = re.compile(r"([\\*\[\]<>#~]|(?<!\w)_|_(?!\w))")


def md_inline(text: str) -> str:
    """Escape Markdown/HTML-significant characters in prose, keeping `code spans` intact.

    Rule messages use backticks for code on purpose; everything outside them is escaped so
    ``<anonymous>`` is not taken for an HTML tag and ``a_b*c`` does not turn into emphasis.
    Newlines become spaces (messages are one paragraph).
    """
    out: list[str] = []
    pos = 0
    for m in _CODE_SPAN.finditer(text):
        out.append(_escape_plain(text[pos : m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(_escape_plain(text[pos:]))
    return " ".join("".join(out).split())


def _escape_plain(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text).replace("`", "\\`")


def md_cell(text: str) -> str:
    """Escape text for a Markdown table cell: inline escaping plus ``|``."""
    return md_inline(text).replace("|", "\\|")


def md_code(text: str, table: bool = False) -> str:
    """An inline code span that survives backticks inside ``text`` (``table``: escape pipes)."""
    text = " ".join(text.split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    span = f"{ticks}{pad}{text}{pad}{ticks}"
    return span.replace("|", "\\|") if table else span


def code_url(file: str, line: int, base: str = "", prefix: str = "") -> str:
    """The link to ``file`` at ``line``: ``base/file#L12`` for a URL base, else a relative link
    through ``prefix`` (the scanned root as seen from the report's folder)."""
    path = quote(file, safe="/")
    anchor = f"#L{line}" if line > 0 else ""
    if base:
        return f"{base.rstrip('/')}/{path}{anchor}"
    head = quote(prefix.strip("/"), safe="/.")
    return f"{head}/{path}{anchor}" if head and head != "." else f"{path}{anchor}"


def md_link(text: str, url: str) -> str:
    """``[text](url)`` with ``text`` already Markdown; the URL's parentheses and spaces escaped."""
    return f"[{text}]({url.replace('(', '%28').replace(')', '%29').replace(' ', '%20')})"


_SLUG_DROP = re.compile(r"[^\w\- ]")


def slug(text: str) -> str:
    """GitHub's heading anchor of ``text`` (its rendered text): lower case, punctuation other
    than ``-`` and ``_`` dropped, spaces made hyphens."""
    return _SLUG_DROP.sub("", text.strip().lower()).replace(" ", "-")


def md_fence(code: str, language: str) -> str:
    """A fenced code block whose fence is longer than any backtick run inside ``code``."""
    longest = max((len(run) for run in re.findall(r"`{3,}", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{code.rstrip()}\n{fence}"
