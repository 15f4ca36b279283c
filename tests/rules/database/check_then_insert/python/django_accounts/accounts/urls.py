from django.urls import path

from accounts import views

urlpatterns = [
    path("signup/", views.signup),
    path("signup-new/", views.signup_new),
    path("workspaces/", views.create_workspace),
    path("polls/<int:poll_id>/vote/", views.vote),
    path("follow/", views.follow),
    path("follow-locked/", views.follow_locked),
    path("follow-get/", views.follow_get),
    path("follow-or-create/", views.follow_or_create),
]
