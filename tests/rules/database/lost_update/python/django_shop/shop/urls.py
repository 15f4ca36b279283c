from django.urls import path

from . import views

urlpatterns = [
    path("products/<int:pk>/buy/", views.buy),
    path("products/<int:pk>/buy-update/", views.buy_update),
    path("products/<int:pk>/reserve/", views.reserve),
    path("products/<int:pk>/reserve-guarded/", views.reserve_guarded),
    path("products/<int:pk>/buy-locked/", views.buy_locked),
    path("products/<int:pk>/sell/", views.sell),
    path("posts/<int:pk>/", views.show_post),
    path("posts/<int:pk>/rename/", views.rename_post),
    path("carts/<int:pk>/items/", views.add_to_cart),
    path("carts/<int:pk>/checkout/", views.checkout_cart),
    path("carts/<int:pk>/pay/", views.pay_cart),
    path("products/<int:pk>/restock/", views.restock),
]
