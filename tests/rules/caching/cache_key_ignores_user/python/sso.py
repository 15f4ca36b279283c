from django.core.cache import cache

from accounts.models import User


def login_with_sso(request, payload):
    sub = payload["sub"]
    cache_key = "oidc:" + sub
    user = User.objects.get(external_reference=sub)
    # the key carries the subject: one entry per user
    # ok: SC-CACHE-008
    cache.set(cache_key, user.id, 300)
    return user


def dashboard(request):
    cache_key = "dashboard:summary"
    data = {"orders": list(request.user.orders.values("id", "total")[:10])}
    # ruleid: SC-CACHE-008
    cache.set(cache_key, data, 60)
    return data
