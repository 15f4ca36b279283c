# The site keeps data of its own: its database serves more than sessions read by key.
from django.db import models


class Order(models.Model):
    number = models.CharField(max_length=20)
