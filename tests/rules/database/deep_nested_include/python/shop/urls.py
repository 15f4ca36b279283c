from django.urls import path

from . import views

urlpatterns = [
    path("authors/", views.authors),
    path("pages/", views.pages),
    path("author-books/", views.author_books),
]
