import graphene
import strawberry
from strawberry.dataloader import DataLoader

from shop.models import Customer, Review, Settings, Tag


class ReviewType(graphene.ObjectType):
    body = graphene.String()


class ProductType(graphene.ObjectType):
    reviews = graphene.List(ReviewType)

    class Meta:
        name = "Product"

    def resolve_reviews(root, info):
        # ruleid: SC-DB-003
        return list(Review.objects.filter(product_id=root.id))

    def resolve_seller(root, info):
        # ok: SC-DB-003 (a DataLoader batches the lookups of one request)
        return info.context.seller_loader.load(root.seller_id)


class SettingsType(graphene.ObjectType):
    currency = graphene.String()

    def resolve_currency(root, info):
        # ok: SC-DB-003 (SettingsType is only served alone)
        return Settings.objects.get(pk=1).currency


class Query(graphene.ObjectType):
    products = graphene.List(graphene.NonNull(ProductType))
    settings = graphene.Field(SettingsType)

    def resolve_products(root, info, first=20):
        return ProductType.objects.all()[:first]


async def load_tags(keys: list[int]) -> list[list[Tag]]:
    return [[] for _ in keys]


@strawberry.type
class CustomerNode:
    id: int

    @strawberry.field
    def orders_count(self) -> int:
        # ruleid: SC-DB-003
        return Customer.objects.filter(referrer_id=self.id).count()


@strawberry.type
class StrawberryQuery:
    @strawberry.field
    def customers(self) -> list[CustomerNode]:
        return [CustomerNode(id=c.id) for c in Customer.objects.all()[:50]]


tag_loader = DataLoader(load_fn=load_tags)
schema = graphene.Schema(query=Query)
