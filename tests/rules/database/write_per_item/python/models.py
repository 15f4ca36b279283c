from django.db import models


class Item(models.Model):
    name = models.CharField(max_length=100)
    sku = models.CharField(max_length=40)
    flag = models.CharField(max_length=20)


class Order(models.Model):
    status = models.CharField(max_length=20)


class Shipment(models.Model):
    order = models.ForeignKey(Order, related_name="shipments", on_delete=models.CASCADE)
    carrier = models.CharField(max_length=20)
    delivered = models.BooleanField(default=False)
