"""Which reads return the children of one parent object (that parent's fan-out).

A loop over the rows of a read runs the queries inside it once per row, so how many rows the
read returns decides whether that is a scaling problem. When the read pins one parent, by
equality on a foreign key or relation (the projects of one organisation, ``where: { projectId
}``, ``filter(routine=routine)``) or through a relation accessor of one object (Django
``routine.days.all()``), its rows are that parent's children: N is the parent's fan-out, which
grows with what one user or one record holds, not with the table. A read that spans parents (a
whole table, rows filtered by a status, a date or another non-key column, an ``IN`` list of
ids) grows with the table.

Inputs are facts only: the read's :class:`DataAccess` (``filter_fields``, ``in_fields``,
``range_fields``, ``related_filters``, ``via_relation``), the schema's columns
(``Column.references``, ``is_relation``, ``primary_key``) found through
:meth:`ProjectModel.find_tables`, and the growth model: a foreign key to a catalog table (a plan
type, a category, a status table) names a class of rows, not a parent, so the rows it selects
span users.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scalescope.model.facts import Column, DataAccess, Table

if TYPE_CHECKING:
    from scalescope.model.project import ProjectModel

#: reads whose rows a loop can iterate
_ROW_READS = frozenset({"read-many", "raw"})
#: a relation filtered through its own key pins one parent (``where: { user: { id } }``)
_KEY_NAMES = frozenset({"id", "_id", "pk", "uuid"})
#: relation kinds whose other side holds many rows: a filter on one (``{ links: { some } }``,
#: ``filter(tags=tag)``) selects rows linked to something, not the children of one parent
_TO_MANY = frozenset(
    {
        "OneToMany",
        "ManyToMany",
        "ManyToManyField",
        "ParentalManyToManyField",
        "GenericRelation",
        "TaggableManager",
    }
)


@dataclass(frozen=True, slots=True)
class ParentSet:
    """The rows of a read are the children of one parent: ``children`` (the model or relation
    read), ``parent`` (the referenced model, ``""`` when the schema does not say), ``key`` (the
    foreign key or relation filtered by equality, as written; ``""`` for a relation
    accessor)."""

    children: str
    parent: str = ""
    key: str = ""

    @property
    def what(self) -> str:
        """``the `Board` rows of one `Workspace` row`` / ``the `days` of one object``."""
        if not self.key:
            return f"the `{self.children}` of one object"
        parent = f"`{self.parent}` row" if self.parent else "parent row"
        return f"the `{self.children}` rows of one {parent}"

    @property
    def how(self) -> str:
        """``filtered by `workspaceId``` / ``a relation accessor``."""
        return f"filtered by `{self.key}`" if self.key else "a relation accessor"


def parent_set(model: ProjectModel, access: DataAccess) -> ParentSet | None:
    """The parent whose children ``access`` reads, or ``None`` when its rows span parents (or
    the schema does not show a foreign key among its equality filters)."""
    if access.kind not in _ROW_READS:
        return None
    children = access.model or "rows"
    if access.via_relation:
        return ParentSet(children)
    skip = {f.lower() for f in (*access.in_fields, *access.range_fields)}
    fields = [f for f in access.filter_fields if f.lower() not in skip]
    if not fields:
        return None
    # every declaration of the table: the ORM schema may say what a migration beside the app
    # does not (and the other way round)
    tables = model.find_tables(access.model, near=access, closest=False)
    for field in fields:
        column = _column(tables, field)
        if column is None or column.primary_key or not column.references or _to_many(column):
            continue
        if not _pins_key(access, field, column):
            continue  # ``{ collection: { ownerId } }``: the rows of many parents of one owner
        parent = column.references.split(".", 1)[0]
        if model.growth.of(parent, near=access).catalog:
            continue  # a plan type or a category: its rows span users
        found = model.find_tables(parent, near=access)
        return ParentSet(children, (found[0].model or found[0].name) if found else parent, field)
    return None


def loop_parent(model: ProjectModel, access: DataAccess, depth: int = 0) -> ParentSet | None:
    """The one parent whose children the loop around ``access`` goes over, in total: the loop
    iterates a read that pins one parent (:func:`parent_set`), and that read runs once, or per
    item of an outer loop that itself goes over one parent's children (the slots of each day
    of one routine). A read of one parent's children run for every item of a loop over many
    parents (``for org in orgs: for project in org.projects.all()``) reads the children of
    all of them: ``None``."""
    source = model.loop_source(access)
    found = parent_set(model, source) if source is not None else None
    if source is None or found is None or source.loop is None:
        return found
    if depth >= 3 or loop_parent(model, source, depth + 1) is None:
        return None
    return found


def _column(tables: list[Table], field: str) -> Column | None:
    """The column a filter names, by field or database name (Django ``project_id`` is the
    ``project`` foreign key's column; ``ownerId`` is ``owner_id`` in SQL), preferring a
    declaration that says it is a foreign key."""
    keys = {field.lower(), _snake(field)}
    found = [
        column
        for table in tables
        for column in table.columns
        if column.name.lower() in keys or (column.db_name and column.db_name.lower() in keys)
    ]
    return next((c for c in found if c.references), found[0] if found else None)


def _snake(name: str) -> str:
    """``ownerId`` -> ``owner_id``."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def _pins_key(access: DataAccess, field: str, column: Column) -> bool:
    """A relation compared to one parent: directly (``{ user }``, ``filter(user=u)``) or through
    the parent's key (``{ user: { id } }``); a filter on another column of the related row
    (``{ collection: { ownerId } }``) selects the children of many parents."""
    prefix = field.lower() + "."
    nested = [r.lower()[len(prefix) :] for r in access.related_filters if r.lower().startswith(prefix)]
    if not nested:
        return True
    target = column.references.split(".", 1)[1].lower() if "." in column.references else ""
    return all(n in _KEY_NAMES or n == target for n in nested)


def _to_many(column: Column) -> bool:
    """A list relation (Prisma ``Link[]``, a Mongoose array of refs, TypeORM ``@OneToMany``,
    Django ``ManyToManyField``): not the key of one parent."""
    return column.type.endswith("[]") or column.type in _TO_MANY
