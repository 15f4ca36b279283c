from django.http import JsonResponse

from .models import Author, Page


def authors(request):
    # ruleid: SC-DB-007 low
    qs = Author.objects.prefetch_related("books__chapters__pages")[:20]
    return JsonResponse({"authors": [a.name for a in qs]})


def pages(request):
    # to-one joins in one query: no row multiplication
    # ok: SC-DB-007
    qs = Page.objects.select_related("chapter__book__author", "editor")[:50]
    return JsonResponse({"pages": [p.chapter.book.author.name for p in qs]})


def author_books(request):
    # ok: SC-DB-007
    qs = Author.objects.prefetch_related("books__chapters")[:20]
    return JsonResponse({"authors": [a.name for a in qs]})
