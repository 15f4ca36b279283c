"""The neutral project model: facts extracted from a repository, shared by every rule."""

from __future__ import annotations

from scalescope.model.facts import Fact, Loc
from scalescope.model.project import ProjectModel

__all__ = ["Fact", "Loc", "ProjectModel"]
