"""GraphQL types returned as lists, from SDL, code-first schemas and resolver decorators.

A field resolver of a type runs once per object of that type in a response, so a query in it
is an N+1 exactly when the type is served in lists. This module records which types are:

- SDL (``.graphql``/``.gql`` files and ``gql``/``typeDefs`` template literals in JS/TS):
  ``field: [Product!]!``;
- graphql-js: ``new GraphQLList(new GraphQLNonNull(Product))``;
- NestJS / type-graphql: ``@Field(() => [Product])``, ``@Query(() => [Product])``;
- graphene: ``graphene.List(ProductType)``, ``NonNullList(...)``, connection classes whose
  ``Meta.node`` is the type;
- strawberry: ``list[Product]`` / ``List[Product]`` / ``Connection[Product]`` annotations.

Matching is by regular expression over the file text: these spellings are declarative and
tree walks would cost more than they add.
"""

from __future__ import annotations

import re

from scalescope.model.facts import GraphQLListType
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, extractor

_SDL_LIST = re.compile(r":\s*\[\s*([A-Z]\w*)\s*!?\s*\]")
_GRAPHQL_JS = re.compile(r"\bnew\s+GraphQLList\(\s*(?:new\s+GraphQLNonNull\(\s*)?([A-Z][\w$]*)")
_DECORATOR_LIST = re.compile(r"=>\s*\[\s*([A-Z][\w$]*)\s*\]")
_GRAPHENE_LIST = re.compile(
    r"\b(?:List|NonNullList)\(\s*(?:graphene\.)?(?:NonNull\(\s*)?(?:lambda\s*:\s*)?[\"']?([A-Z]\w*)"
)
_CONNECTION_NODE = re.compile(r"\bnode\s*=\s*([A-Z]\w*)")
_ANNOTATION_LIST = re.compile(
    r"\b(?:list|List|Sequence|Iterable|Connection|ListConnection)\[\s*(?:Optional\[\s*)?"
    r"(?:Annotated\[\s*)?[\"']?([A-Z]\w*)"
)
_SCALARS = frozenset({"String", "Int", "Float", "Boolean", "ID", "Any", "Optional", "Annotated", "Dict"})


def _emit_all(ctx: FileContext, pattern: re.Pattern[str]) -> None:
    text = ctx.text
    seen: set[str] = set()
    line, counted = 1, 0  # line number at offset ``counted``: count newlines once, not per name
    for m in pattern.finditer(text):
        name = m.group(1)
        if name in _SCALARS or name in seen:
            continue
        seen.add(name)
        line += text.count("\n", counted, m.start())
        counted = m.start()
        ctx.emit(GraphQLListType(ctx.line_loc(line), name=name))


@extractor(languages=("graphql",))
def sdl_lists(ctx: FileContext) -> None:
    """``field: [Type]`` in a schema file."""
    _emit_all(ctx, _SDL_LIST)


@extractor(languages=JS_LANGUAGES, needs=("gql", "typeDefs", "graphql", "GraphQLList", "@Field", "@Query"))
def js_lists(ctx: FileContext) -> None:
    """List types in JS/TS: embedded SDL, graphql-js and decorator return types."""
    text = ctx.text
    if "GraphQLList" in text:
        _emit_all(ctx, _GRAPHQL_JS)
    if "=>" in text and ("@Field" in text or "@Query" in text or "@ResolveField" in text):
        _emit_all(ctx, _DECORATOR_LIST)
    if "gql" in text or "typeDefs" in text or "#graphql" in text:
        _emit_all(ctx, _SDL_LIST)


@extractor(languages=("python",), needs=("graphene", "strawberry", "ariadne", "Connection"))
def python_lists(ctx: FileContext) -> None:
    """List types in graphene / strawberry / ariadne modules."""
    text = ctx.text
    if "List(" in text:
        _emit_all(ctx, _GRAPHENE_LIST)
    if "Connection" in text and "node" in text:
        _emit_all(ctx, _CONNECTION_NODE)
    if "strawberry" in text:
        _emit_all(ctx, _ANNOTATION_LIST)
    if "type_defs" in text or "gql(" in text:
        _emit_all(ctx, _SDL_LIST)
