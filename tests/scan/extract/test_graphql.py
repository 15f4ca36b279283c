"""GraphQL resolvers as Route facts, and the list types that make field resolvers run per item."""

from __future__ import annotations

from scalescope.model.facts import GraphQLListType, Route
from scalescope.scan.extract.base import extract_file


def _routes(path: str, language: str, text: str) -> set[tuple[str, str, str | None]]:
    result = extract_file(path, language, text)
    assert not result.errors, result.errors
    return {
        (r.method, r.path, (r.handler_id or r.handler_name or "").split("::")[-1] or None)
        for r in result.facts
        if isinstance(r, Route)
    }


def _lists(path: str, language: str, text: str) -> set[str]:
    result = extract_file(path, language, text)
    assert not result.errors, result.errors
    return {f.name for f in result.facts if isinstance(f, GraphQLListType)}


GRAPHENE = """import graphene

class ProductType(graphene.ObjectType):
    class Meta:
        name = "Product"

    def resolve_product_variants(root, info, **kwargs):
        return root.variants.all()

    def resolve_helper(self):
        return 1


class ProductQueries(graphene.ObjectType):
    products = graphene.List(graphene.NonNull(ProductType))

    def resolve_products(_root, _info, *, channel=None):
        return []


class BaseProductMutation(graphene.Mutation):
    class Meta:
        abstract = True

    def mutate(root, info):
        return None


class ProductCreate(BaseProductMutation):
    @classmethod
    def perform_mutation(cls, root, info, **data):
        return None


class ProductCountableConnection(graphene.Connection):
    class Meta:
        node = ProductType
"""


def test_graphene_resolvers_and_mutations() -> None:
    got = _routes("schema.py", "python", GRAPHENE)
    assert ("FIELD", "Product.productVariants", "ProductType.resolve_product_variants@7") in got
    assert ("QUERY", "Query.products", "ProductQueries.resolve_products@17") in got
    assert ("MUTATION", "Mutation.productCreate", "ProductCreate.perform_mutation@31") in got
    # abstract mutation bases and methods without `info` are not resolvers
    assert not any(path.endswith("helper") or "baseProductMutation" in path for _, path, _ in got)
    assert _lists("schema.py", "python", GRAPHENE) == {"ProductType"}


STRAWBERRY = """import strawberry

def all_books() -> list["Book"]:
    return []

@strawberry.type
class Book:
    title: str

    @strawberry.field(name="authorName")
    def author(self) -> str:
        return ""

@strawberry.type
class Query:
    books: list[Book] = strawberry.field(resolver=all_books)

    @strawberry.field
    def top_book(self) -> Book:
        return Book(title="x")

@strawberry.type
class Mutation:
    @strawberry.mutation
    def add_book(self, title: str) -> Book:
        return Book(title=title)
"""


def test_strawberry_fields_and_resolver_attributes() -> None:
    got = _routes("schema.py", "python", STRAWBERRY)
    assert ("FIELD", "Book.authorName", "Book.author@11") in got
    assert ("QUERY", "Query.topBook", "Query.top_book@19") in got
    assert ("QUERY", "Query.books", "all_books") in got
    assert ("MUTATION", "Mutation.addBook", "Mutation.add_book@25") in got
    assert "Book" in _lists("schema.py", "python", STRAWBERRY)


ARIADNE = """from ariadne import ObjectType, QueryType

query = QueryType()
book = ObjectType("Book")

@query.field("books")
def resolve_books(*_):
    return []

def resolve_author(obj, info):
    return None

book.set_field("author", resolve_author)
"""


def test_ariadne_bindables() -> None:
    got = _routes("schema.py", "python", ARIADNE)
    assert ("QUERY", "Query.books", "resolve_books@7") in got
    assert ("FIELD", "Book.author", "resolve_author") in got


NEST = """import { Resolver, Query, ResolveField, Mutation, Parent } from "@nestjs/graphql";

@Resolver(() => Recipe)
export class RecipesResolver {
  @Query(() => [Recipe], { name: "recipes" })
  findAll() { return []; }

  @ResolveField("ingredients", () => [Ingredient])
  ingredients(@Parent() recipe: Recipe) { return []; }

  @Mutation(() => Recipe)
  addRecipe() { return null; }

  helper() { return 1; }
}
"""


def test_nest_decorated_resolvers() -> None:
    got = _routes("recipes.resolver.ts", "typescript", NEST)
    assert got == {
        ("QUERY", "Query.recipes", "RecipesResolver.findAll@6"),
        ("FIELD", "Recipe.ingredients", "RecipesResolver.ingredients@9"),
        ("MUTATION", "Mutation.addRecipe", "RecipesResolver.addRecipe@12"),
    }
    assert _lists("recipes.resolver.ts", "typescript", NEST) == {"Recipe", "Ingredient"}


APOLLO = """const typeDefs = gql`
  type Author { name: String }
  type Post { author: Author, tags: [String!]! }
  type Query { posts: [Post!]! }
`;
const resolvers = {
  Query: {
    posts: () => db.posts.all(),
  },
  Post: {
    author: (post) => db.authors.byId(post.authorId),
    __resolveType: () => "Post",
  },
  Mutation: { addPost: addPostResolver },
};
"""


def test_apollo_resolver_map_and_embedded_sdl() -> None:
    got = _routes("server.js", "javascript", APOLLO)
    assert ("QUERY", "Query.posts", "posts@8") in got
    assert ("FIELD", "Post.author", "author@11") in got
    assert ("MUTATION", "Mutation.addPost", "addPostResolver") in got
    assert not any("__resolveType" in path for _, path, _ in got)
    # scalars are not object types
    assert _lists("server.js", "javascript", APOLLO) == {"Post"}


def test_sdl_file_lists() -> None:
    sdl = "type Query {\n  users: [User!]!\n  user(id: ID!): User\n  ids: [ID!]\n}\n"
    assert _lists("schema.graphql", "graphql", sdl) == {"User"}


def test_route_display_names_graphql_resolvers() -> None:
    from scalescope.model.facts import Loc

    route = Route(Loc("a.ts", 1), framework="apollo", method="FIELD", path="Post.author")
    assert route.display == "GraphQL Post.author"
    assert Route(Loc("a.ts", 1), framework="express", method="GET", path="/x").display == "GET /x"
