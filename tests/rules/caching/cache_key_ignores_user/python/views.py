from django.shortcuts import render
from django.views.decorators.cache import cache_page
from django.views.decorators.vary import vary_on_cookie


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
