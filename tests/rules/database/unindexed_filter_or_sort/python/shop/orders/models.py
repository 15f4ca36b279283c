from django.db import models


class Customer(models.Model):
    email = models.EmailField(unique=True)
    name = models.CharField(max_length=100)


class OrderState(models.TextChoices):
    NEW = "new"
    PAID = "paid"
    SHIPPED = "shipped"


class Order(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")
    number = models.CharField(max_length=20, unique=True)
    status = models.CharField(max_length=20)
    channel = models.CharField(max_length=20)
    placed_at = models.DateTimeField(db_index=True)
    total = models.DecimalField(max_digits=10, decimal_places=2)
    state = models.CharField(max_length=10, choices=OrderState.choices)
    cancelled_at = models.DateTimeField(null=True)

    class Meta:
        indexes = [models.Index(fields=["channel", "placed_at"])]
