from django.urls import path

from . import views

urlpatterns = [
    path("orders/", views.order_list),
    path("customers/names/", views.customer_names),
    path("orders/recent/", views.recent_orders),
    path("orders/open-count/", views.open_count),
    path("orders/<int:pk>/", views.order_detail),
]
