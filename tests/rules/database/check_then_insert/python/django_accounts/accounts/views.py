from django.db import transaction
from django.http import HttpResponse, JsonResponse

from accounts.models import Follow, Member, Vote, Workspace


def signup(request):
    email = request.POST["email"]
    if Member.objects.filter(email=email).exists():
        return JsonResponse({"error": "email taken"}, status=409)
    # ruleid: SC-DB-018
    member = Member.objects.create(email=email, name=request.POST["name"])
    return JsonResponse({"id": member.id}, status=201)


def signup_new(request):
    data = {"email": request.POST["email"], "name": request.POST["name"]}
    existing = Member.objects.filter(email=data["email"]).first()
    if existing is not None:
        return HttpResponse(status=409)
    member = Member(**data)
    # ruleid: SC-DB-018
    member.save()
    return HttpResponse(status=201)


def create_workspace(request):
    slug = request.POST["slug"]
    if Workspace.objects.filter(slug=slug).exists():
        return HttpResponse(status=409)
    # ok: SC-DB-018
    Workspace.objects.create(slug=slug, name=request.POST["name"])
    return HttpResponse(status=201)


def vote(request, poll_id):
    if Vote.objects.filter(poll_id=poll_id, user=request.user).exists():
        return HttpResponse(status=409)
    # ok: SC-DB-018
    Vote.objects.create(poll_id=poll_id, user=request.user)
    return HttpResponse(status=201)


def follow(request):
    followee = int(request.POST["followee"])
    if Follow.objects.filter(follower_id=request.user.id, followee_id=followee).count() == 0:
        # ruleid: SC-DB-018
        Follow.objects.create(follower_id=request.user.id, followee_id=followee)
    return HttpResponse(status=204)


def follow_locked(request):
    followee = int(request.POST["followee"])
    with transaction.atomic():
        rows = Follow.objects.select_for_update().filter(follower_id=request.user.id, followee_id=followee)
        if rows.exists():
            return HttpResponse(status=409)
        # ok: SC-DB-018
        Follow.objects.create(follower_id=request.user.id, followee_id=followee)
    return HttpResponse(status=201)


def follow_get(request):
    followee = int(request.POST["followee"])
    try:
        Follow.objects.get(follower_id=request.user.id, followee_id=followee)
    except Follow.DoesNotExist:
        # ruleid: SC-DB-018
        Follow.objects.create(follower_id=request.user.id, followee_id=followee)
    return HttpResponse(status=204)


def follow_or_create(request):
    followee = int(request.POST["followee"])
    # ok: SC-DB-018
    Follow.objects.get_or_create(follower_id=request.user.id, followee_id=followee)
    return HttpResponse(status=204)
