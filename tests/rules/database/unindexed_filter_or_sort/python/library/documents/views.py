from django.db.models import Q
from django.http import JsonResponse
from django.urls import path

from .models import Document


def by_title(request):
    # the soft-delete scope keeps most rows: the column to index is title
    # ruleid: SC-DB-006
    docs = Document.objects.filter(deleted_at__isnull=True, title=request.GET["t"])[:20]
    return JsonResponse({"ids": [d.id for d in docs]})


def live(request):
    # only soft-delete scopes (= None, Q(__isnull=True)): nothing left to index
    # ok: SC-DB-006
    docs = Document.objects.filter(Q(archived_on__isnull=True), deleted_at=None)[:20]
    return JsonResponse({"ids": [d.id for d in docs]})


def in_folder(request):
    # archived_on = None keeps the live rows; folder is the column an index should lead
    # ruleid: SC-DB-006
    docs = Document.objects.filter(archived_on=None, folder=request.GET["f"])[:20]
    return JsonResponse({"ids": [d.id for d in docs]})


def unreviewed(request):
    # IS NULL on a column that marks no deletion: an equality like any other
    # ruleid: SC-DB-006
    docs = Document.objects.filter(reviewed_at__isnull=True)[:20]
    return JsonResponse({"ids": [d.id for d in docs]})


urlpatterns = [
    path("docs/by-title", by_title),
    path("docs/live", live),
    path("docs/folder", in_folder),
    path("docs/unreviewed", unreviewed),
]
