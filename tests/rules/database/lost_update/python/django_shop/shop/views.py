from django.db import transaction
from django.db.models import F
from django.http import JsonResponse
from django.core.cache import cache
from django.shortcuts import get_object_or_404

from .models import Cart, Post, Product


def buy(request, pk):
    product = get_object_or_404(Product, pk=pk)
    qty = int(request.POST["qty"])
    if product.stock < qty:
        return JsonResponse({"error": "out of stock"}, status=409)
    # ruleid: SC-DB-013
    product.stock -= qty
    product.save(update_fields=["stock"])
    return JsonResponse({"stock": product.stock})


def buy_update(request, pk):
    product = Product.objects.get(pk=pk)
    new_stock = product.stock - int(request.POST["qty"])
    # ruleid: SC-DB-013
    Product.objects.filter(pk=pk).update(stock=new_stock)
    return JsonResponse({"stock": new_stock})


def reserve(request, pk):
    product = Product.objects.get(pk=pk)
    qty = int(request.POST["qty"])
    if product.stock < qty:
        return JsonResponse({"error": "out of stock"}, status=409)
    # ruleid: SC-DB-013
    Product.objects.filter(pk=pk).update(stock=F("stock") - qty)
    return JsonResponse({"ok": True})


def reserve_guarded(request, pk):
    product = Product.objects.get(pk=pk)
    qty = int(request.POST["qty"])
    if product.stock < qty:
        return JsonResponse({"error": "out of stock"}, status=409)
    # ok: SC-DB-013
    updated = Product.objects.filter(pk=pk, stock__gte=qty).update(stock=F("stock") - qty)
    return JsonResponse({"ok": bool(updated)})


def buy_locked(request, pk):
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=pk)
        # ok: SC-DB-013
        product.stock -= 1
        product.save()
    return JsonResponse({"ok": True})


def sell(request, pk):
    # ok: SC-DB-013
    Product.objects.filter(pk=pk).update(stock=F("stock") - 1)
    return JsonResponse({"ok": True})


def show_post(request, pk):
    post = Post.objects.get(pk=pk)
    # ruleid: SC-DB-013
    post.views += 1
    post.save()
    return JsonResponse({"title": post.title})


def rename_post(request, pk):
    post = Post.objects.get(pk=pk)
    # ok: SC-DB-013
    post.title = post.title + " (edited)"
    post.save()
    return JsonResponse({"title": post.title})


def add_to_cart(request, pk):
    cart = Cart.objects.get(pk=pk)
    # ok: SC-DB-013
    updated = Cart.objects.filter(pk=pk, version=cart.version).update(total=cart.total + 5, version=cart.version + 1)
    return JsonResponse({"ok": bool(updated)})


def checkout_cart(request, pk):
    cart = Cart.objects.get(pk=pk)
    # ok: SC-DB-013
    cart.total += 5
    cart.save()
    return JsonResponse({"total": cart.total})


def pay_cart(request, pk):
    cart = Cart.objects.get(pk=pk)
    # ok: SC-DB-013
    paid = Cart.objects.filter(pk=pk, status="open").update(total=cart.total - 5, status="paid")
    return JsonResponse({"ok": bool(paid)})


def restock(request, pk):
    with cache.lock(f"product:{pk}"):
        product = Product.objects.get(pk=pk)
        # ok: SC-DB-013
        product.stock += int(request.POST["qty"])
        product.save()
    return JsonResponse({"ok": True})
