"""Cloudflare Workers configuration (``wrangler.toml``, ``wrangler.json``, ``wrangler.jsonc``)
-> :class:`PlatformBinding` facts for its ``hyperdrive`` bindings, at the top level and under
each ``env.<name>`` environment.

Hyperdrive is Cloudflare's managed connection pooler in front of PostgreSQL: a Worker reads
its connection string as ``env.<binding>.connectionString`` and the pool lives in Hyperdrive,
not in the Worker (https://developers.cloudflare.com/hyperdrive/).
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from scalescope.model.facts import PlatformBinding
from scalescope.scan.extract.base import FileContext, extractor
from scalescope.scan.extract.js.tsconfig import loads_jsonc

_NAME = re.compile(r"^wrangler(?:\.[\w-]+)?\.(?:toml|jsonc?)$")


def _hyperdrive(config: dict[str, Any]) -> list[str]:
    """The ``binding`` names of a configuration's ``hyperdrive`` entries, its environments' too."""
    names: list[str] = []
    scopes: list[Any] = [config]
    envs = config.get("env")
    if isinstance(envs, dict):
        scopes += list(envs.values())
    for scope in scopes:
        entries = scope.get("hyperdrive") if isinstance(scope, dict) else None
        for entry in entries if isinstance(entries, list) else ():
            name = entry.get("binding") if isinstance(entry, dict) else None
            if isinstance(name, str) and name and name not in names:
                names.append(name)
    return names


@extractor(languages=("wrangler", "toml"), needs=("hyperdrive",))
def wrangler_bindings(ctx: FileContext) -> None:
    """One :class:`PlatformBinding` per Hyperdrive binding name, at the line that names it."""
    if not _NAME.match(ctx.path.rsplit("/", 1)[-1]):
        return
    if ctx.path.endswith(".toml"):
        try:
            config: Any = tomllib.loads(ctx.text)
        except tomllib.TOMLDecodeError:
            return
    else:
        config = loads_jsonc(ctx.text)
    if not isinstance(config, dict):
        return
    for name in _hyperdrive(config):
        quoted = re.compile(rf"""["']{re.escape(name)}["']""")
        line = next((i + 1 for i, text in enumerate(ctx.lines) if quoted.search(text)), 1)
        ctx.emit(PlatformBinding(ctx.line_loc(line), kind="hyperdrive", name=name))
