from django.urls import path

from . import views

urlpatterns = [
    path("cases/", views.open_case),
    path("cases/open-count/", views.open_case_count),
    path("cases/page/", views.case_page),
    path("teams/<int:team_id>/members/", views.add_member),
    path("teams/<int:team_id>/join/", views.join_team),
    path("me/unread/", views.unread_count),
    path("categories/count/", views.category_count),
    path("cases/any-urgent/", views.any_urgent),
]
