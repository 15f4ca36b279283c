from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_page
from django.views.decorators.vary import vary_on_cookie

from .documents import get_visible_document_or_404


# ruleid: SC-CACHE-008
@cache_page(60)
def my_orders(request):
    orders = request.user.orders.all()[:20]
    return render(request, "orders.html", {"orders": orders})


# ok: SC-CACHE-008
@cache_page(60)
@vary_on_cookie
def my_profile(request):
    return render(request, "profile.html", {"user": request.user})


# ok: SC-CACHE-008
@cache_page(60 * 15)
def pricing(request):
    return render(request, "pricing.html", {})


# ok: SC-CACHE-008
@cache_page(60 * 60)
def site_stats(request):
    # "user_id" names a column of the membership table here, not the request's user: the same
    # counts for everyone
    members = set(Membership.objects.values_list("user_id", flat=True))
    return render(request, "stats.html", {"members": len(members)})


# ruleid: SC-CACHE-008
@cache_page(60 * 60)
def my_teams(request):
    teams = Membership.objects.filter(user_id=request.session["user_id"])
    return render(request, "teams.html", {"teams": teams})


# the user only decides whether the document may be shown; the body is the same for everyone
# ruleid: SC-CACHE-008 low
@cache_page(60 * 5)
def helpful_votes(request, slug):
    document = get_visible_document_or_404(request.user, slug=slug)
    return JsonResponse({"votes": document.votes.count()})


# a permission check first, then the user's own data in the body: per-user
# ruleid: SC-CACHE-008
@cache_page(60 * 5)
def my_votes(request, slug):
    document = get_visible_document_or_404(request.user, slug=slug)
    return JsonResponse({"mine": document.votes.filter(user=request.user).count()})
