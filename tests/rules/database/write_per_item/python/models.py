from django.db import models


class Item(models.Model):
    name = models.CharField(max_length=100)
    sku = models.CharField(max_length=40)
    flag = models.CharField(max_length=20)


class Order(models.Model):
    status = models.CharField(max_length=20)
