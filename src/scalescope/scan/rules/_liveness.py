"""Findings outside production: one policy for every rule.

The engine passes every hit through :func:`apply_role`. The model says where the hit's location
runs (:meth:`ProjectModel.role_at`: its file's role from the project's entry points and
config, or an environment guard around it). Test and migration code is never reported; a hit in
tooling (seed, CLI-only data source, scripts), in development-only code or config, or in a file
nothing imports is kept at low confidence with the reason in its message. So is a hit in
production code inside a function nothing in production calls
(:meth:`ProjectModel.unreferenced_at`: only tests call it, or nothing does), or that only
code serving no requests calls (a manage.py command, a script).
"""

from __future__ import annotations

from dataclasses import replace

from scalescope.model.project import ProjectModel
from scalescope.scan.rules.base import Hit


def apply_role(model: ProjectModel, hit: Hit) -> Hit | None:
    """The hit as reported given where it runs, or ``None`` when it should not be."""
    role = model.role_at(hit.loc)
    if role.production:
        unused = model.unreferenced_at(hit.loc)
        if unused is None:
            return hit
        return replace(
            hit,
            confidence="low",
            message=f"{hit.message.rstrip()} {unused.lead}: {unused.reason}.",
            offside=True,
        )
    if not role.reportable:
        return None
    reason = role.reason or role.kind
    return replace(
        hit,
        confidence="low",
        message=f"{hit.message.rstrip()} Not production code: {reason}.",
        offside=True,
    )
