from django.db import models


class Product(models.Model):
    name = models.CharField(max_length=100)
    created = models.DateTimeField(auto_now_add=True)


class Order(models.Model):
    total = models.IntegerField()
