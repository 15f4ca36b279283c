from django.urls import path

from . import views

urlpatterns = [
    path("orders/", views.order_list),
    path("orders/latest/", views.latest_orders),
]
