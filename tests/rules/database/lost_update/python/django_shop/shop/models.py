from django.db import models


class Product(models.Model):
    name = models.CharField(max_length=200)
    stock = models.IntegerField(default=0)


class Post(models.Model):
    title = models.CharField(max_length=200)
    views = models.IntegerField(default=0)


class Cart(models.Model):
    total = models.IntegerField(default=0)
    status = models.CharField(max_length=20, default="open")
    version = models.IntegerField(default=0)
