from django.urls import path

from . import views

urlpatterns = [
    path("search/", views.search),
    path("history/", views.history),
    path("orders/", views.create_order),
    path("password-reset/", views.request_reset),
    path("password-reset/confirm/", views.confirm_reset),
    path("projects/<int:pk>/ping/", views.ping),
    path("projects/<int:pk>/delete/", views.delete_project),
    path("imports/", views.run_import),
]
