# Django: how big the loop is (issue 8, item 9).
import re

from django.http import JsonResponse

from .models import Tag, User


def mention(request, pk):
    text = request.POST.get("text", "")
    for handle in re.findall(r"@(\w+)", text):
        # ruleid: SC-DB-003 (low: the mentions typed in one comment)
        User.objects.filter(username=handle).first()
    for tag_id in request.POST.getlist("tags"):
        # ruleid: SC-DB-003 (low: a request list with no declared maximum, usually a handful of items)
        Tag.objects.get(pk=tag_id)
    return JsonResponse({"ok": True})


def import_users(request):
    text = request.FILES["csv"].read().decode()
    for line in text.split("\n"):
        # ruleid: SC-DB-003 (low: the lines of an upload are not traced as a source, so their size is unknown)
        User.objects.filter(email=line.strip()).first()
    for row in text.splitlines():
        # ruleid: SC-DB-003 (low: the lines of an upload are not traced as a source, so their size is unknown)
        User.objects.filter(username=row).first()
    return JsonResponse({"ok": True})
