from django.contrib.auth.models import Group
from django.http import JsonResponse


def staff_group(request):
    # Django's auth Group (its name is unique, so indexed), not this project's Group model
    # ok: SC-DB-006
    group = Group.objects.filter(name=request.GET["name"]).first()
    return JsonResponse({"id": group.id if group else None})
