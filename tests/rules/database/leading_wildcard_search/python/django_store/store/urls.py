from django.urls import path

from . import views

urlpatterns = [
    path("customers/", views.customers),
    path("customers/search/", views.customer_search),
    path("products/", views.product_search),
    path("articles/", views.article_search),
    path("orders/", views.order_search),
    path("customers/prefix/", views.customer_prefix),
    path("manage/customers/", views.staff_customer_search),
]
