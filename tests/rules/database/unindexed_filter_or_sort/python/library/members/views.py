from django.http import JsonResponse
from django.urls import path

from .auth_views import staff_group
from .models import Group, Member


def _ids(rows):
    return JsonResponse({"ids": [m.id for m in rows]})


def by_username(request):
    # the GiST (btree_gist) index serves the equality
    # ok: SC-DB-006
    return _ids(Member.objects.filter(username=request.GET["u"])[:1])


def by_handle(request):
    # a GiST index added by a migration's AddIndex serves it too
    # ok: SC-DB-006
    return _ids(Member.objects.filter(handle=request.GET["h"])[:1])


def by_slug(request):
    # the hash index serves an equality
    # ok: SC-DB-006
    return _ids(Member.objects.filter(slug=request.GET["s"])[:1])


def by_slug_order(request):
    # a hash index serves no sort
    # ruleid: SC-DB-006
    return _ids(Member.objects.order_by("slug")[:20])


def joined_since(request):
    # BRIN serves a range on the column it summarises
    # ok: SC-DB-006
    return _ids(Member.objects.filter(joined_on__gte=request.GET["d"])[:20])


def joined_at(request):
    # an equality on a BRIN-only column reads whole block ranges: not counted as served
    # ruleid: SC-DB-006
    return _ids(Member.objects.filter(joined_on=request.GET["d"])[:20])


def by_bio(request):
    # a trigram index serves equality since PostgreSQL 14
    # ok: SC-DB-006
    return _ids(Member.objects.filter(bio=request.GET["b"])[:20])


def reading_group(request):
    # the project's Group: no index on name
    # ruleid: SC-DB-006
    return _ids(Group.objects.filter(name=request.GET["name"])[:1])


urlpatterns = [
    path("members/username", by_username),
    path("members/handle", by_handle),
    path("members/slug", by_slug),
    path("members/slugs", by_slug_order),
    path("members/since", joined_since),
    path("members/joined", joined_at),
    path("members/bio", by_bio),
    path("groups/by-name", reading_group),
    path("groups/staff", staff_group),
]

