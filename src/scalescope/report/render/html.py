"""HTML renderer: the Markdown report as one self-contained page (inline CSS, no scripts,
no external requests), for attaching to a ticket or opening from CI artifacts.

The content is exactly the Markdown report's, converted with markdown-it (CommonMark plus
tables, raw HTML disabled so nothing from a scanned file can inject markup). On top of it:
every heading gets the anchor GitHub would give it (so the report's contents and finding
links work in both), the contents line becomes a navigation bar, and severity and status words
set in bold get a colour class.
"""

from __future__ import annotations

from html import escape

from markdown_it import MarkdownIt
from markdown_it.token import Token

from scalescope.report.model import SEVERITIES, ScanReport
from scalescope.report.priority import STATUSES
from scalescope.report.render import RenderOptions
from scalescope.report.render import markdown as md_renderer
from scalescope.report.render._text import slug

_COLOURED = {s: f"sev sev-{s}" for s in SEVERITIES} | {s: f"status status-{s}" for s in STATUSES}

_CSS = """
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #fff; --code: #f6f8fa;
  --line: #d1d9e0; --accent: #0969da; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117;
  --code: #151b23; --line: #3d444d; --accent: #4493f8; } }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 15px/1.55 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 32px 24px 64px; }
h1 { font-size: 1.9em; border-bottom: 1px solid var(--line); padding-bottom: .3em; }
h2 { font-size: 1.4em; border-bottom: 1px solid var(--line); padding-bottom: .25em; margin-top: 2em; }
h3 { font-size: 1.1em; margin-top: 1.6em; }
a { color: var(--accent); }
code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
code { background: var(--code); padding: .15em .35em; border-radius: 4px; }
pre { background: var(--code); padding: 12px 14px; border-radius: 6px; overflow-x: auto; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; margin: 1em 0; display: block; overflow-x: auto; }
th, td { border: 1px solid var(--line); padding: 5px 10px; text-align: left; }
th { background: var(--code); }
td[style*="right"], th[style*="right"] { text-align: right; }
em { color: var(--muted); }
nav.toc { position: sticky; top: 0; background: var(--bg); border-bottom: 1px solid var(--line);
  padding: 8px 0; z-index: 1; }
.sev, .status { padding: .05em .45em; border-radius: 4px; font-weight: 600; white-space: nowrap; }
.sev-critical, .status-red { background: #b42318; color: #fff; }
.sev-high { background: #f04438; color: #fff; }
.sev-medium, .status-amber { background: #f79009; color: #1f2328; }
.sev-low { background: #d1e9ff; color: #1f2328; }
.sev-info { background: #eaecf0; color: #1f2328; }
.status-green { background: #12b76a; color: #fff; }
h2, h3 { scroll-margin-top: 48px; }
"""


def render(report: ScanReport, options: RenderOptions) -> str:
    """Render ``report`` as a standalone HTML document."""
    source = md_renderer.render(report, options)
    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = parser.parse(source)
    _decorate(tokens)
    body = parser.renderer.render(tokens, parser.options, {})
    title = escape(f"Scalability scan: {report.root}")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="scalescope {escape(options.version)}">\n'
        f"<title>{title}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )


def _text_of(inline: Token) -> str:
    """The rendered text of an inline token (what GitHub derives a heading's anchor from)."""
    return "".join(c.content for c in inline.children or () if c.type in ("text", "code_inline"))


def _decorate(tokens: list[Token]) -> None:
    """Heading anchors, the contents navigation bar and severity/status colour classes."""
    seen: dict[str, int] = {}
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and i + 1 < len(tokens):
            anchor = slug(_text_of(tokens[i + 1]))
            n = seen.get(anchor, 0)
            seen[anchor] = n + 1
            tok.attrSet("id", anchor if n == 0 else f"{anchor}-{n}")
        elif tok.type == "paragraph_open" and i + 1 < len(tokens):
            children = [c for c in tokens[i + 1].children or () if c.type != "text" or c.content]
            if children and children[0].type == "strong_open" and _strong_text(children, 0) == "Contents:":
                tok.tag = "nav"
                tok.attrSet("class", "toc")
                tokens[i + 2].tag = "nav"
        if tok.type == "inline":
            children = tok.children or []
            for j, child in enumerate(children):
                if child.type == "strong_open":
                    cls = _COLOURED.get(_strong_text(children, j).lower())
                    if cls:
                        child.attrSet("class", cls)


def _strong_text(children: list[Token], start: int) -> str:
    """The plain text between a ``strong_open`` and its ``strong_close``."""
    out: list[str] = []
    for c in children[start + 1 :]:
        if c.type == "strong_close":
            break
        out.append(c.content)
    return "".join(out)
