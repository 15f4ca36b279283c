from django.urls import path

from . import views

# a URLconf no include() reaches from ROOT_URLCONF
urlpatterns = [path("products/", views.old_product_list)]
