from django.urls import path

from . import views

urlpatterns = [
    path("checkout/", views.checkout),
    path("orders/<int:pk>/refund/", views.refund),
    path("orders/", views.place_order),
]
