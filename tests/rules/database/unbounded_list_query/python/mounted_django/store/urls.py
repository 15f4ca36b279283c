from django.urls import path

from . import views

# served as /api/products/
urlpatterns = [path("products/", views.product_list)]
