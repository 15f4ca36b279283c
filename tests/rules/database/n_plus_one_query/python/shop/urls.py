from django.urls import path

from . import views

urlpatterns = [
    path("customers/", views.customer_orders),
    path("totals/", views.order_totals),
    path("customers-prefetched/", views.customer_orders_prefetched),
    path("orders/", views.orders_with_customer),
    path("status/", views.status_counts),
]
