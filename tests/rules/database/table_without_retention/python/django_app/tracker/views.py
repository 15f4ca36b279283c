import secrets
from datetime import timedelta

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import ImportLog, Order, PasswordResetToken, Project, ProjectPing, SearchHistory


def search(request):
    # ruleid: SC-DB-015
    SearchHistory.objects.create(user=request.user, query=request.GET.get("q", ""))
    return JsonResponse({"results": []})


def history(request):
    rows = SearchHistory.objects.filter(user=request.user).order_by("-created_at")[:20]
    return JsonResponse({"rows": [r.query for r in rows]})


def create_order(request):
    # ok: SC-DB-015
    order = Order.objects.create(number=request.POST["number"], total=request.POST["total"])
    return JsonResponse({"id": order.id})


def request_reset(request):
    # ok: SC-DB-015
    PasswordResetToken.objects.create(
        token=secrets.token_urlsafe(32),
        email=request.POST["email"],
        expires_at=timezone.now() + timedelta(hours=1),
    )
    return JsonResponse({})


def confirm_reset(request):
    token = PasswordResetToken.objects.get(token=request.POST["token"])
    token.delete()
    return JsonResponse({})


def ping(request, pk):
    # ok: SC-DB-015
    ProjectPing.objects.create(project_id=pk)
    return JsonResponse({})


def delete_project(request, pk):
    project = get_object_or_404(Project, pk=pk)
    project.delete()
    return JsonResponse({})


def run_import(request):
    # ruleid: SC-DB-015 low
    log = ImportLog.objects.create(status="running")
    log.status = "done"
    log.save()
    return JsonResponse({"id": log.id, "last": ImportLog.objects.get(pk=log.id).status})
