"""Request input that sizes queries: where a query's page size comes from, and whether the
request field it comes from has a declared maximum.

- :meth:`RequestInputs.limit_source`: a query's ``param`` limit (:attr:`DataAccess.limit_input`)
  (:meth:`RequestInputs.value_source` the same for any traced value, such as a searched text)
  read from the request in its own function, or a parameter of that function that a caller
  fills with request input (a :class:`RequestArg` whose call resolves to the function, matched
  by position, object key or Python keyword): controller -> service, FastAPI route -> crud.
- :meth:`RequestInputs.declared_max`: the smallest declared maximum (:class:`InputLimit` with
  ``measure="value"``) of that request field, anywhere in the project: validation schemas
  usually live in another file than the code reading the field. A maximum on the field's own
  schema is preferred when the schema is known.
- :meth:`RequestInputs.page_size_policies`: DRF pagination classes in use that let the
  request choose the page size (:class:`PageSizeParam`), with the maximum their class chain
  declares.

Inputs are facts only: ``DataAccess.limit_input``, ``RequestArg``, ``InputLimit``,
``PageSizeParam``, ``Function`` parameters and the call resolution of :class:`ProjectModel`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from scalescope.model.facts import DataAccess, InputLimit, LimitInput, Loc, PageSizeParam, RequestArg

if TYPE_CHECKING:
    from scalescope.model.project import ProjectModel

#: parameters that are the receiver of a Python method, not passed by the caller
_RECEIVERS = frozenset({"self", "cls"})


@dataclass(frozen=True, slots=True)
class LimitSource:
    """A query limit traced to a request field: ``field`` as the request spells it, the
    expression reading it (``text``), the validating ``schema``/``via`` when seen, and the
    :class:`RequestArg` when a caller passes it in (``None`` when read in the query's
    function); ``read`` is where the request is read (or the call passing it): the queries
    one read sizes have one cause."""

    field: str
    text: str
    read: Loc
    schema: str = ""
    via: str = ""
    through: RequestArg | None = None


@dataclass(frozen=True, slots=True)
class PageSizePolicy:
    """A pagination class (or a library class used directly) that reads the page size from
    the request parameter ``param``: where to report it (its definition, or the use when the
    class is the library's), its ``name``, the views or settings using it, and the declared
    maximum of its class chain (``None`` when none)."""

    loc: Loc
    name: str
    param: str
    users: tuple[PageSizeParam, ...]
    maximum: InputLimit | None


class RequestInputs:
    """Joins of request input facts for the rules (see the module docstring)."""

    def __init__(self, model: ProjectModel) -> None:
        self._model = model

    # ------------------------------------------------------------------ query limits

    @cached_property
    def _args_by_callee(self) -> dict[str, list[RequestArg]]:
        out: dict[str, list[RequestArg]] = defaultdict(list)
        for arg in self._model.all(RequestArg):
            for fn in self._model.resolve_call(arg.loc.file, arg.call):
                out[fn.id].append(arg)
        return out

    def limit_source(self, access: DataAccess) -> LimitSource | None:
        """The request field a query's limit comes from, or ``None`` when it is not traced to
        the request (a constant, a setting, a clamp, a comparison against a bound, a
        parameter no caller fills from the request)."""
        return self.value_source(access.limit_input, access)

    def value_source(self, found: LimitInput | None, access: DataAccess) -> LimitSource | None:
        """The request field a value of ``access`` comes from (its limit, a searched text:
        :class:`~scalescope.model.facts.PatternSearch`), read in the query's function or
        passed in by a caller; ``None`` when not traced to the request."""
        if found is None:
            return None
        if found.source == "request":
            if not found.field:
                return None
            read = Loc(access.loc.file, found.line or access.loc.line)
            return LimitSource(found.field, found.text, read, found.schema, found.via)
        if found.source != "parameter" or found.function_id is None:
            return None
        fn = self._model.functions.get(found.function_id)
        for arg in self._args_by_callee.get(found.function_id, ()):
            fieldname = _matched_field(arg, found.position, found.key, found.field, fn.params if fn else ())
            if fieldname:
                return LimitSource(fieldname, arg.text, arg.loc, arg.schema, arg.via, through=arg)
        return None

    @cached_property
    def _value_limits(self) -> dict[str, list[InputLimit]]:
        out: dict[str, list[InputLimit]] = defaultdict(list)
        for limit in self._model.all(InputLimit):
            if limit.measure == "value":
                out[limit.name].append(limit)
        return out

    def declared_max(self, fieldname: str, schema: str = "") -> InputLimit | None:
        """The declared maximum of request field ``fieldname``: on ``schema`` when it declares
        one, else the smallest declared anywhere (a project spells a page size one way)."""
        found = self._value_limits.get(fieldname, [])
        own = [lim for lim in found if schema and lim.schema == schema]
        pool = own or found
        return min(pool, key=lambda lim: (lim.maximum, lim.loc)) if pool else None

    # ------------------------------------------------------------------ pagination classes

    def page_size_policies(self) -> list[PageSizePolicy]:
        """Pagination classes in use whose page size the request chooses, with the maximum
        their class chain declares (one per class, or per use of a library class)."""
        definitions: dict[str, list[PageSizeParam]] = defaultdict(list)
        users: dict[str, list[PageSizeParam]] = defaultdict(list)
        for fact in self._model.all(PageSizeParam):
            (users if fact.used else definitions)[fact.name].append(fact)
        drf_max: dict[str, list[InputLimit]] = defaultdict(list)
        for limit in self._model.all(InputLimit):
            if limit.measure == "value" and limit.library == "drf":
                drf_max[limit.schema].append(limit)
        out: list[PageSizePolicy] = []
        for name, uses in sorted(users.items()):
            chain = _chain(name, definitions)
            if not chain:
                # a library class used directly: the use says which parameter it reads
                for use in uses:
                    if use.param and use.param != "-":
                        out.append(PageSizePolicy(use.loc, name, use.param, (use,), None))
                continue
            owner = next((d for d in chain if d.param), None)
            if owner is None or owner.param == "-":
                continue  # a fixed page size
            limits = [lim for d in chain for lim in drf_max.get(d.name, ())]
            maximum = min(limits, key=lambda lim: (lim.maximum, lim.loc)) if limits else None
            out.append(PageSizePolicy(chain[0].loc, name, owner.param, tuple(uses), maximum))
        return out


def _chain(name: str, definitions: dict[str, list[PageSizeParam]]) -> list[PageSizeParam]:
    """The definition of class ``name`` and of its bases, nearest first (by name)."""
    out: list[PageSizeParam] = []
    todo = [name]
    seen: set[str] = set()
    while todo and len(out) < 16:
        current = todo.pop(0)
        if current in seen:
            continue
        seen.add(current)
        for fact in definitions.get(current, ()):
            out.append(fact)
            todo.extend(fact.bases)
    return out


def _matched_field(arg: RequestArg, position: int, key: str, param: str, params: tuple[str, ...]) -> str:
    """The request field a caller's argument puts into parameter ``position`` (read at
    ``key`` when the callee reads a property of it), or ``""`` when the argument does not
    fill it."""
    offset = 1 if params and params[0] in _RECEIVERS else 0  # a method called on its instance
    if arg.position < 0:  # a Python keyword argument fills the parameter of that name
        if arg.key != param:
            return ""
        return key or arg.field
    if arg.position + offset != position:
        return ""
    if arg.key:  # an object literal's property fills the key the callee reads
        return (arg.field or arg.key) if arg.key == key else ""
    return key or arg.field
