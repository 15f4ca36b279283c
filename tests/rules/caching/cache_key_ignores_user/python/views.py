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
