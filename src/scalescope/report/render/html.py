"""HTML renderer: the Markdown report as one self-contained page (inline CSS, no scripts,
no external requests), for attaching to a ticket or opening from CI artifacts.

The content is exactly the Markdown report's, converted with markdown-it (CommonMark plus
tables, raw HTML disabled so nothing from a scanned file can inject markup).
"""

from __future__ import annotations

from html import escape

from markdown_it import MarkdownIt

from scalescope.report.model import ScanReport
from scalescope.report.render import RenderOptions
from scalescope.report.render import markdown as md_renderer

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
"""


def render(report: ScanReport, options: RenderOptions) -> str:
    """Render ``report`` as a standalone HTML document."""
    source = md_renderer.render(report, options)
    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    body = parser.render(source)
    title = escape(f"Scalability scan: {report.root}")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="scalescope {escape(options.version)}">\n'
        f"<title>{title}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )
