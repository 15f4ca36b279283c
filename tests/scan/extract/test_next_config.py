"""Next.js image optimizer settings read from next.config files, and the next version ranges."""

from __future__ import annotations

import pytest

from scalescope.model.facts import NextImageConfig
from scalescope.scan.extract.base import extract_file
from scalescope.scan.rules.caching.short_image_cache_ttl import next_major


def _config(
    text: str, path: str = "web/next.config.mjs", language: str = "javascript"
) -> list[NextImageConfig]:
    result = extract_file(path, language, text)
    assert not result.errors
    return [f for f in result.facts if isinstance(f, NextImageConfig)]


def test_const_exported_through_plugins_with_arithmetic_ttl() -> None:
    (cfg,) = _config(
        "const DAY = 60 * 60 * 24;\n"
        "const nextConfig = {\n"
        "  images: {\n"
        "    remotePatterns: [{ hostname: 'a.example' }],\n"
        "    domains: [],\n"
        "    minimumCacheTTL: DAY / 24 - 600,\n"
        "  },\n"
        "};\n"
        "export default withSentryConfig(withNextIntl(nextConfig), { org: 'x' });\n"
    )
    assert (cfg.loc.line, cfg.min_ttl, cfg.ttl_line, cfg.ttl_text) == (3, 3000, 6, "DAY / 24 - 600")
    assert (cfg.optimizer_off, cfg.remote, cfg.complete) == ("", ("remotePatterns",), True)


def test_typescript_satisfies_and_shorthand_images() -> None:
    (cfg,) = _config(
        "import type { NextConfig } from 'next';\n"
        "const images = { minimumCacheTTL: 60, unoptimized: true };\n"
        "const config: NextConfig = { images } satisfies NextConfig;\n"
        "export default config;\n",
        path="next.config.ts",
        language="typescript",
    )
    assert (cfg.min_ttl, cfg.optimizer_off) == (60, "unoptimized: true")


@pytest.mark.parametrize(
    ("settings", "off"),
    [
        ("output: 'export', images: { minimumCacheTTL: 60 }", 'output: "export"'),
        ("images: { loader: 'imgix', minimumCacheTTL: 60 }", 'loader: "imgix"'),
        ("images: { loaderFile: './l.js', minimumCacheTTL: 60 }", "loaderFile"),
        ("images: { loader: 'default', loaderFile: './l.js', minimumCacheTTL: 60 }", ""),
        ("images: { unoptimized: !!process.env.STATIC, minimumCacheTTL: 60 }", "?"),
        ("output: process.env.X ? 'export' : 'standalone', images: { minimumCacheTTL: 60 }", "?"),
        ("output: 'standalone', images: { unoptimized: false, minimumCacheTTL: 60 }", ""),
    ],
)
def test_what_turns_the_optimizer_off(settings: str, off: str) -> None:
    (cfg,) = _config(f"module.exports = {{ {settings} }};\n", path="next.config.js")
    assert cfg.optimizer_off == off


def test_config_function_with_one_object_and_module_exports_arrow() -> None:
    (cfg,) = _config(
        "const c = { images: { minimumCacheTTL: 120 } };\n"
        "export default async function config() {\n"
        "  if (global.X) return c;\n"
        "  const inner = () => ({ images: { minimumCacheTTL: 1 } });\n"
        "  return process.env.DSN ? wrap(c, { a: 1 }) : c;\n"
        "}\n"
    )
    assert cfg.min_ttl == 120
    (arrow,) = _config(
        "module.exports = (phase) => ({ images: { minimumCacheTTL: 5 } });\n", path="next.config.cjs"
    )
    assert arrow.min_ttl == 5


def test_unreadable_configs() -> None:
    # two objects, one per phase: which one serves is not shown
    assert not _config(
        "module.exports = (phase) => {\n"
        "  if (phase === 'dev') return { images: {} };\n"
        "  return { images: {} };\n"
        "};\n",
        path="next.config.js",
    )
    # built in another file
    assert not _config("import base from './base.mjs';\nexport default base;\n")
    # not a next.config file
    assert not _config("module.exports = { images: { minimumCacheTTL: 60 } };\n", path="site.config.js")
    # a spread or a later assignment could hide settings
    (spread,) = _config("const b = {};\nexport default { ...b, images: { minimumCacheTTL: 60 } };\n")
    (later,) = _config(
        "const c = { images: { minimumCacheTTL: 60 } };\nc.images.minimumCacheTTL = 9;\nexport default c;\n"
    )
    assert not spread.complete and not later.complete
    # a value the file does not show
    (env,) = _config("export default { images: { minimumCacheTTL: Number(process.env.TTL) } };\n")
    assert (env.min_ttl, env.ttl_line) == (None, 1)


@pytest.mark.parametrize(
    ("version", "major"),
    [
        ("^15.2.0", 15),
        ("~14.1", 14),
        ("13.5.6", 13),
        ("15.x", 15),
        ("14", 14),
        ("=13.4.2", 13),
        ("^16.0.1", 16),
        ("^14.0.0-canary.3", 14),
        ("15.6.0-canary.40", None),
        (">=14.0.0", None),
        ("latest", None),
        ("catalog:", None),
        ("workspace:*", None),
        ("^14 || ^15", None),
    ],
)
def test_next_major(version: str, major: int | None) -> None:
    assert next_major(version) == major
