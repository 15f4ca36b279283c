from django.urls import path

from . import views

urlpatterns = [
    path("orders/", views.order_list),
    path("customers/names/", views.customer_names),
    path("orders/recent/", views.recent_orders),
    path("orders/open-count/", views.open_count),
    path("orders/<int:pk>/", views.order_detail),
    path("orders/by-status/", views.orders_by_status),
    path("orders/top/", views.top_customer_orders),
    path("orders/vip/", views.vip_orders),
    path("orders/cached/", views.cached_statuses),
    path("orders/page/", views.page_plus_one),
]
