"""Which reads return the children of one parent (model/fanout.py), and which read a loop
iterates (ProjectModel.loop_source)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalescope.model.facts import DataAccess
from scalescope.model.fanout import ParentSet
from scalescope.model.project import ProjectModel
from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import build_project

FIXTURES = Path(__file__).parent / "fixtures"


def _model(name: str) -> ProjectModel:
    model, _, _ = build_project(FIXTURES / name, ScanConfig(), jobs=1)
    return model


@pytest.fixture(scope="module")
def node() -> ProjectModel:
    return _model("fanout_node")


@pytest.fixture(scope="module")
def django() -> ProjectModel:
    return _model("fanout_django")


def _at(model: ProjectModel, file: str, line: int) -> DataAccess:
    return next(a for a in model.all(DataAccess) if a.loc.file == file and a.loc.line == line)


def test_equality_on_a_foreign_key_reads_one_parents_children(node: ProjectModel) -> None:
    found = node.parent_set(_at(node, "src/reads.ts", 19))
    assert found == ParentSet("folder", "Account", "accountId")
    assert found.what == "the `folder` rows of one `Account` row"
    assert found.how == "filtered by `accountId`"


def test_a_relation_pinned_by_the_parents_key_is_one_parent_even_when_narrowed(node: ProjectModel) -> None:
    # ``{ account: { id }, starred: true }``: a flag only narrows that account's folders
    assert node.parent_set(_at(node, "src/reads.ts", 21)) == ParentSet("folder", "Account", "account")


@pytest.mark.parametrize(
    ("line", "why"),
    [
        (23, "an IN list of parents"),
        (25, "a flag across every parent"),
        (27, "the parent's owner, not the parent's key: the children of many parents"),
        (29, "a foreign key to a catalog table (rows only from the seed) names a class of rows"),
        (31, "a date range"),
        (33, "a list relation (`Folder[]`): the accounts linked to a folder, not one parent's children"),
    ],
)
def test_reads_that_span_parents(node: ProjectModel, line: int, why: str) -> None:
    assert node.parent_set(_at(node, "src/reads.ts", line)) is None, why


def test_django_relation_accessor_and_foreign_key(django: ProjectModel) -> None:
    assert django.parent_set(_at(django, "shelf/views.py", 15)) == ParentSet("books")
    assert django.parent_set(_at(django, "shelf/views.py", 15)).what == "the `books` of one object"
    assert django.parent_set(_at(django, "shelf/views.py", 7)) == ParentSet("Book", "Shelf", "shelf")
    assert django.parent_set(_at(django, "shelf/views.py", 17)) is None  # every lent book


def test_loop_source_is_the_read_whose_rows_the_loop_iterates(django: ProjectModel) -> None:
    # the read spans lines 7-10 (a parenthesised chain); the loop names the line its call starts on
    inner = _at(django, "shelf/views.py", 13)
    assert inner.loop is not None and inner.loop.source_line == 8
    source = django.loop_source(inner)
    assert source is not None and source.loc.line == 7 and source.model == "Book"
    assert django.loop_source(_at(django, "shelf/views.py", 16)) == _at(django, "shelf/views.py", 15)
    assert django.loop_source(_at(django, "shelf/views.py", 14)) is None  # not in a loop


def test_the_foreign_key_may_be_declared_by_the_orm_schema_of_another_package() -> None:
    """The app's migration declares the table without the key (added by a later statement);
    the Drizzle schema of the shared package declares it (``ownerId`` is ``owner_id``)."""
    model = _model("fanout_drizzle")
    read = _at(model, "apps/web/src/servers.ts", 9)
    assert [t.source for t in model.find_tables("workspace", near=read)] == ["sql"]  # the closest
    assert model.parent_set(read) == ParentSet("workspace", "member", "ownerId")


def test_a_loop_over_one_parents_children_inside_a_loop_over_many_parents_is_not_one_parent(
    django: ProjectModel,
) -> None:
    # for shelf in Shelf.objects.all(): for book in shelf.books.all(): one query per book of
    # every shelf, although each inner loop goes over one shelf's books
    across = _at(django, "shelf/views.py", 26)
    source = django.loop_source(across)
    assert source is not None and django.parent_set(source) == ParentSet("books")
    assert django.loop_parent(across) is None
    # the books of one shelf, and per book the loans of that book: one shelf's fan-out in total
    nested = _at(django, "shelf/views.py", 30)
    assert django.loop_parent(nested) == ParentSet("Loan", "Book", "book")
    assert django.loop_parent(_at(django, "shelf/views.py", 29)) == ParentSet("books")
