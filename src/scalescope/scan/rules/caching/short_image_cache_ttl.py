"""SC-CACHE-010 short-image-cache-ttl."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from scalescope.model.facts import Import, Loc, NextImageConfig, StackItem
from scalescope.model.project import ProjectModel
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta

#: below this many seconds an optimized image is re-made several times an hour
SHORT_TTL = 3600
#: the default from Next.js 16 (vercel/next.js#84105); 60 s before
NEW_DEFAULT = 14400
OLD_DEFAULT = 60
_IMAGE_MODULES = frozenset({"next/image", "next/legacy/image", "next/future/image"})
#: ``^15.2.0``, ``~14.1``, ``15.x``, ``15``, ``=13.5.6``, ``v14.0.0``: a range whose major is fixed
_PINNED_MAJOR = re.compile(r"^(?:[\^~=]|v)?\s*(\d+)(?:\.(?:\d+|x|\*)){0,2}(-[0-9A-Za-z.-]+)?$")

_FIX = (
    "Set `images.minimumCacheTTL` to 14400 (4 hours, the default from Next.js 16) or more, e.g. "
    "2678400 (31 days) for images that never change under the same URL, and/or send "
    "`Cache-Control: public, max-age=...` from the image origin (the longer of the two wins). "
    "Import local images statically (`import hero from './hero.jpg'`): they get a hashed URL that "
    "is cached as immutable. Keep a short TTL only for images replaced under the same URL, and "
    "prefer versioned URLs for those."
)
_SNIPPET = """images: {
  minimumCacheTTL: 14400, // 4 hours (the Next.js 16 default); 2678400 = 31 days
  // remotePatterns, formats...
},"""


def next_major(version: str) -> int | None:
    """The major version a package.json range allows, when it allows only one (``^15.2.0`` -> 15,
    ``>=14``/``latest``/``catalog:``/``workspace:*`` -> None). A 15.x pre-release is None: the
    canaries of late 2025 may carry the new default."""
    m = _PINNED_MAJOR.match(version.strip())
    if m is None:
        return None
    major = int(m.group(1))
    if major == 15 and m.group(2):
        return None
    return major


def _every(seconds: int) -> str:
    """``every 60 s``, ``every 300 s (5 min)``; ``on every request`` for 0."""
    if seconds <= 0:
        return "on every request"
    if seconds >= 120 and seconds % 60 == 0:
        return f"every {seconds} s ({seconds // 60} min)"
    return f"every {seconds} s"


class ShortImageCacheTtl(Rule):
    """Next.js keeps optimized images only minutes when their source sends no cache header.

    ## What it finds
    A `next.config.{js,mjs,cjs,ts}` whose exported config (a plain object, a const of the
    file, wrapped in plugins such as `withBundleAnalyzer(...)`, or returned by a config
    function) sets `images.minimumCacheTTL` below 3600 seconds (a number, arithmetic on
    numbers, or a const of the same file), while the built-in optimizer runs: no
    `unoptimized: true`, no `loader` other than `"default"`, no `loaderFile` on its own, no
    `output: "export"`.

    As a separate, low-confidence case: an app whose `next` dependency (the package.json
    range at or above the config, when the range fixes one major version) is below 16,
    that allows remote images (`images.remotePatterns` or `images.domains` with entries),
    imports `next/image` in its own folder, and leaves `minimumCacheTTL` at the 60-second
    default of those versions.

    Configs that cannot be read whole (a spread, a later `config.images = ...`, a setting
    computed at run time) are not reported.

    ## Why it matters at scale
    The optimizer keeps an optimized image for the longer of `minimumCacheTTL` and the
    source's `Cache-Control` max-age. A source without a cache header (many storage buckets
    and upload servers, and files under `public/`, which Next.js serves with `max-age=0`
    unless the config's `headers()` sets one) falls back to `minimumCacheTTL`, so with
    60 seconds every image is resized
    and re-encoded with sharp again every minute, for each width and format it is requested
    in: CPU on a self-hosted server (or billed transformations on a platform), and a CDN
    in front may not keep it longer either. Next.js 16 raised the default to 4 hours for
    this reason.

    ## Example
    ```js
    // next.config.mjs
    const nextConfig = {
      images: {
        remotePatterns: [{ protocol: "https", hostname: "uploads.example.com" }],
        minimumCacheTTL: 60,
      },
    };
    export default nextConfig;
    ```

    ## Use instead
    ```js
    const nextConfig = {
      images: {
        remotePatterns: [{ protocol: "https", hostname: "uploads.example.com" }],
        minimumCacheTTL: 14400, // 4 hours; or send Cache-Control from uploads.example.com
      },
    };
    ```
    Import local images statically (`import hero from "./hero.jpg"`) so they get a hashed,
    immutable URL.

    ## Known problems
    An image origin that does send a long `Cache-Control` max-age (most image CDNs) makes a
    short `minimumCacheTTL` harmless; the scan cannot see the origin's headers. A plugin that
    replaces the loader (or a deployment on a platform with its own image service) may turn
    the built-in optimizer off where the config does not show it. A `next` version taken from
    a pnpm catalog (`catalog:`) or a range open above (`>=14`, `latest`) is not read, so the
    default case is not reported there.

    ## References
    - vercel/next.js#84105: the default `minimumCacheTTL` raised from 60 s to 4 hours in
      Next.js 16
    """

    meta = RuleMeta(
        id="SC-CACHE-010",
        name="short-image-cache-ttl",
        category="caching",
        severity="medium",
        title="Next.js optimized images expire within minutes",
        effort="hours",
        scope="setting",
        confidence="medium",
        impact="Images whose source sends no cache header are re-optimized (CPU-heavy) every few minutes.",
        ecosystems=("node",),
        references=(
            "https://nextjs.org/docs/app/api-reference/components/image#minimumcachettl",
            "https://github.com/vercel/next.js/pull/84105",
            "https://nextjs.org/docs/app/api-reference/file-conventions/public-folder#caching",
        ),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        configs = [
            c
            for c in model.all(NextImageConfig)
            if model.role(c.loc.file).reportable and c.complete and not c.optimizer_off
        ]
        if not configs:
            return
        for cfg in configs:
            if cfg.ttl_line:
                if cfg.min_ttl is not None and cfg.min_ttl < SHORT_TTL:
                    yield self._explicit(cfg)
            elif cfg.remote:
                hit = self._default(model, cfg)
                if hit is not None:
                    yield hit

    def _explicit(self, cfg: NextImageConfig) -> Hit:
        n = max(cfg.min_ttl or 0, 0)
        written = cfg.ttl_text if cfg.ttl_text == str(n) else f"{cfg.ttl_text} = {n}"
        every = _every(n)
        return self.hit(
            Loc(cfg.loc.file, cfg.ttl_line),
            message=(
                f"`images.minimumCacheTTL` is {written} s: the Next.js image optimizer keeps an "
                f"optimized image for the longer of this and its source's Cache-Control max-age, so "
                f"an image whose source sends no cache header (an upload bucket without one, a file "
                f"under public/, which Next.js serves with max-age=0 unless `headers()` sets one) is "
                f"resized and re-encoded again {every} "
                "for each width and format requested."
            ),
            recommendation=_FIX,
            fix_snippet=_SNIPPET,
            fix_language="js",
            severity="medium" if n < 600 else "low",
            place=f"minimumCacheTTL {n}",
        )

    def _default(self, model: ProjectModel, cfg: NextImageConfig) -> Hit | None:
        folder = posixpath.dirname(cfg.loc.file)
        found = _next_version(model, folder)
        if found is None:
            return None
        manifest, version, major = found
        if major >= 16:
            return None
        if not _imports_next_image(model, folder):
            return None
        lists = " and ".join(f"`images.{k}`" for k in cfg.remote)
        return self.hit(
            cfg.loc,
            message=(
                f"This app allows remote images ({lists}) and leaves `images.minimumCacheTTL` at "
                f"the {OLD_DEFAULT}-second default of Next.js before 16 (`next` {version} in "
                f"{manifest}): a remote image whose server sends no Cache-Control max-age is "
                f"resized and re-encoded again every minute for each width and format requested. "
                f"Next.js 16 raised the default to {NEW_DEFAULT} s (4 hours) for this reason; "
                "whether it matters depends on the cache headers of the image hosts."
            ),
            recommendation=_FIX,
            fix_snippet=_SNIPPET,
            fix_language="js",
            severity="low",
            confidence="low",
            place="minimumCacheTTL default",
        )


def _next_version(model: ProjectModel, folder: str) -> tuple[str, str, int] | None:
    """``(package.json, range, major)`` of the nearest manifest at or above ``folder`` that
    lists ``next``; None when that range does not fix one major version."""
    by_folder: dict[str, StackItem] = {}
    for item in model.all(StackItem):
        if item.name == "nextjs" and item.source == "manifest" and item.loc.file.endswith("package.json"):
            by_folder.setdefault(posixpath.dirname(item.loc.file), item)
    here = folder
    while True:
        found = by_folder.get(here)
        if found is not None:
            major = next_major(found.version)
            return None if major is None else (found.loc.file, found.version, major)
        if not here:
            return None
        here = posixpath.dirname(here)


def _imports_next_image(model: ProjectModel, folder: str) -> bool:
    prefix = folder + "/" if folder else ""
    return any(
        imp.module in _IMAGE_MODULES
        and imp.loc.file.startswith(prefix)
        and model.role(imp.loc.file).reportable
        for imp in model.all(Import)
    )
