from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=100)


class Book(models.Model):
    author = models.ForeignKey(Author, related_name="books", on_delete=models.CASCADE)


class Chapter(models.Model):
    book = models.ForeignKey(Book, related_name="chapters", on_delete=models.CASCADE)


class Page(models.Model):
    chapter = models.ForeignKey(Chapter, related_name="pages", on_delete=models.CASCADE)
    editor = models.ForeignKey(Author, on_delete=models.CASCADE)
