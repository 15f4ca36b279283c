"""Functions, their direct calls and imports in Python files (feeds the call graph)."""

from __future__ import annotations

import tree_sitter as ts

from scalescope.model.facts import Call, ClassDecl, ConditionalStarImport, Function, Import
from scalescope.scan.extract.base import FileContext, captures, extractor
from scalescope.scan.extract.call_sweep import calls_by_function, shared_call
from scalescope.scan.extract.py.ast import decorators, function_name, iter_calls, named_function_id
from scalescope.scan.extract.py.method_guards import method_regions

_NO_NAME = frozenset({"()", "[]", "?"})
_NO_RECEIVER = frozenset({"self", "cls", "()", "[]", "?"})


def _call_of(parts: tuple[str, ...]) -> Call | None:
    """The :class:`Call` a callee chain names (``self.repo.save`` -> ``Call("save", "repo")``)."""
    if not parts or parts[-1] in _NO_NAME:
        return None
    return shared_call(parts[-1], parts[-2] if len(parts) >= 2 and parts[-2] not in _NO_RECEIVER else "")


#: FastAPI's dependency markers: ``db: Session = Depends(get_db)``, ``Annotated[User,
#: Security(current_user)]``: the framework calls the named function for every request the
#: route serves, before the handler runs
_DEPENDENCY_MARKERS = frozenset({"Depends", "Security"})


def _dependencies(ctx: FileContext, params: ts.Node | None) -> list[Call]:
    """The functions a handler's parameters depend on (``Depends(get_db)``), as calls the
    handler makes: FastAPI runs them for each request, so what they do is on the route's path."""
    text = ctx.node_text(params) if params is not None else ""
    if params is None or ("Depends" not in text and "Security" not in text):
        return []
    out: list[Call] = []
    for call in captures("python", "(call) @c", params).get("c", []):
        parts = ctx.node_text(call.child_by_field_name("function")).split(".")
        args = call.child_by_field_name("arguments")
        if parts[-1] not in _DEPENDENCY_MARKERS or args is None or not args.named_children:
            continue
        target = args.named_children[0]
        if target.type in {"identifier", "attribute"}:
            found = _call_of(tuple(ctx.node_text(target).split(".")))
            if found is not None:
                out.append(found)
    return out


@extractor(languages=("python",))
def functions(ctx: FileContext) -> None:
    """Emit a :class:`Function` per ``def``/``lambda`` with the calls made directly in it (each
    with the request methods it runs for, when a method test decides that)."""
    found = captures("python", "(function_definition) @f (lambda) @f", ctx.root).get("f", [])
    fns = found  # captures() lists nodes in document order: by start, outer first
    regions = method_regions(ctx)
    calls_by_fn = calls_by_function(
        fns,
        iter_calls(ctx),
        _call_of,
        regions.methods_at if regions else None,  # no method test: every call ()
    )
    for i, fn in enumerate(fns):
        name, class_name = function_name(ctx, fn)
        decos = tuple(ctx.node_text(d)[:120] for d in decorators(ctx, fn))
        is_async = fn.type == "function_definition" and any(c.type == "async" for c in fn.children)
        params_node = fn.child_by_field_name("parameters")
        params: tuple[str, ...] = ()
        if params_node is not None:
            params = tuple(
                ctx.node_text(p).split(":")[0].split("=")[0].strip() for p in params_node.named_children
            )
        anchor = fn.parent if fn.parent is not None and fn.parent.type == "decorated_definition" else fn
        calls = [*calls_by_fn[i], *_dependencies(ctx, params_node)]
        ctx.emit(
            Function(
                ctx.loc(anchor, fn),
                id=named_function_id(ctx, fn, name, class_name),
                name=name,
                class_name=class_name,
                is_async=is_async,
                exported=not name.startswith("_"),
                calls=tuple(dict.fromkeys(calls)),
                decorators=decos,
                params=params,
            )
        )
    for cls in captures("python", "(class_definition) @c", ctx.root).get("c", []):
        supers = cls.child_by_field_name("superclasses")
        bases = tuple(ctx.node_text(b)[:120] for b in supers.named_children) if supers is not None else ()
        ctx.emit(
            ClassDecl(
                ctx.loc(cls),
                name=ctx.node_text(cls.child_by_field_name("name")),
                bases=bases,
                decorators=tuple(ctx.node_text(d)[:120] for d in decorators(ctx, cls)),
            )
        )


@extractor(languages=("python",), needs=("import",))
def imports(ctx: FileContext) -> None:
    """Emit an :class:`Import` per name bound by ``import`` / ``from ... import``."""
    root = ctx.root
    for stmt in captures("python", "(import_from_statement) @i", root).get("i", []):
        module = ctx.node_text(stmt.child_by_field_name("module_name"))
        if (
            stmt.parent is not None
            and stmt.parent.type == "block"
            and any(c.type == "wildcard_import" for c in stmt.named_children)
        ):
            # ``from .base_local import *`` in an ``if``/``else``/``try`` branch
            ctx.emit(ConditionalStarImport(ctx.loc(stmt), module))
        for name_node in stmt.children_by_field_name("name"):
            if name_node.type == "aliased_import":
                name = ctx.node_text(name_node.child_by_field_name("name"))
                local = ctx.node_text(name_node.child_by_field_name("alias"))
            else:
                name = local = ctx.node_text(name_node)
            ctx.emit(Import(ctx.loc(stmt), local.rsplit(".", 1)[-1], module, name))
    for stmt in captures("python", "(import_statement) @i", root).get("i", []):
        for name_node in stmt.children_by_field_name("name"):
            if name_node.type == "aliased_import":
                name = ctx.node_text(name_node.child_by_field_name("name"))
                local = ctx.node_text(name_node.child_by_field_name("alias"))
            else:
                name = local = ctx.node_text(name_node)
            ctx.emit(Import(ctx.loc(stmt), local, name, "*"))
