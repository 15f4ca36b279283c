from django.core.paginator import Paginator
from django.db import transaction
from django.http import JsonResponse

from .models import Alert, Case, Category, Membership, Team


def open_case(request):
    # ruleid: SC-DB-017
    n = Case.objects.count()
    case = Case.objects.create(reference=f"CASE-{n + 1:06d}", status="open", category_id=1)
    return JsonResponse({"id": case.pk})


def open_case_count(request):
    # ruleid: SC-DB-017
    return JsonResponse({"open": Case.objects.filter(status="open").count()})


def case_page(request):
    # the total of a paginated list: SC-DB-005's case
    qs = Case.objects.filter(status="open").order_by("-id")
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    # ok: SC-DB-017
    total = Case.objects.filter(status="open").count()
    return JsonResponse({"rows": list(page.object_list.values()), "total": total})


def add_member(request, team_id):
    team = Team.objects.get(pk=team_id)
    # one team's members through the foreign key: index-only, but the check races
    # ruleid: SC-DB-017 low
    if Membership.objects.filter(team_id=team_id).count() >= team.max_members:
        return JsonResponse({"error": "team full"}, status=409)
    Membership.objects.create(team=team, email=request.POST["email"])
    return JsonResponse({"ok": True})


def join_team(request, team_id):
    with transaction.atomic():
        team = Team.objects.select_for_update().get(pk=team_id)
        # the team row is locked: one team's members, counted under the lock
        # ok: SC-DB-017
        if Membership.objects.filter(team_id=team_id).count() >= team.max_members:
            return JsonResponse({"error": "team full"}, status=409)
        Membership.objects.create(team=team, email=request.POST["email"])
    return JsonResponse({"ok": True})


def unread_count(request):
    # one user's alerts through the indexed foreign key: cheap
    # ok: SC-DB-017
    unseen = Alert.objects.filter(user=request.user, seen=False).count()
    return JsonResponse({"unseen": unseen})


def category_count(request):
    # a catalog table, written only by a management command
    # ok: SC-DB-017
    return JsonResponse({"categories": Category.objects.count()})


def any_urgent(request):
    # exists() instead of a count
    # ok: SC-DB-017
    urgent = Case.objects.filter(status="urgent").exists()
    return JsonResponse({"urgent": urgent})


def raise_alert(request):
    Alert.objects.create(user=request.user)
    return JsonResponse({"ok": True})
