from django.contrib.admin.views.decorators import staff_member_required
from django.http import JsonResponse

from .models import Article, Customer, Order, Product


def customers(request):
    if request.method == "POST":
        customer = Customer.objects.create(name=request.POST["name"], email=request.POST["email"])
        return JsonResponse({"id": customer.id})
    return JsonResponse({"count": Customer.objects.count()})


def customer_search(request):
    q = request.GET.get("q", "").strip()
    # ruleid: SC-DB-014
    found = list(Customer.objects.filter(name__icontains=q).values("id", "name")[:20])
    # the migration's trigram index covers phone
    # ok: SC-DB-014
    by_phone = list(Customer.objects.filter(phone__contains=q).values("id")[:20])
    # ruleid: SC-DB-014
    by_email = list(Customer.objects.filter(email__iendswith=request.GET["domain"]).values("id")[:20])
    return JsonResponse({"found": found, "by_phone": by_phone, "by_email": by_email})


def product_search(request):
    q = request.GET.get("q", "")
    # trigram indexes on UPPER(name) and sku
    # ok: SC-DB-014
    rows = list(Product.objects.filter(name__icontains=q).values("id")[:20])
    # ok: SC-DB-014
    skus = list(Product.objects.filter(sku__contains=q).values("id")[:20])
    return JsonResponse({"rows": rows, "skus": skus})


def article_search(request):
    q = request.GET.get("q", "")
    # the table has a full-text vector index: the search may go through it
    # ruleid: SC-DB-014 low
    rows = list(Article.objects.filter(title__icontains=q).values("id", "title")[:20])
    return JsonResponse({"rows": rows})


def order_search(request):
    # one user's orders: the foreign key narrows the rows first
    # ok: SC-DB-014
    rows = list(Order.objects.filter(user=request.user, note__icontains=request.GET.get("q", "")).values("id"))
    return JsonResponse({"rows": rows})


def customer_prefix(request):
    # a prefix search: a b-tree index serves it
    # ok: SC-DB-014
    rows = list(Customer.objects.filter(name__istartswith=request.GET.get("q", "")).values("id")[:20])
    return JsonResponse({"rows": rows})


@staff_member_required
def staff_customer_search(request):
    # staff only
    # ok: SC-DB-014
    rows = list(Customer.objects.filter(email__icontains=request.GET.get("q", "")).values("id")[:20])
    return JsonResponse({"rows": rows})
