from django.db import models


class Customer(models.Model):
    name = models.CharField(max_length=100)


class Order(models.Model):
    customer = models.ForeignKey(Customer, related_name="orders", on_delete=models.CASCADE)
    status = models.CharField(max_length=20)
    total = models.DecimalField(max_digits=10, decimal_places=2)


class Organisation(models.Model):
    name = models.CharField(max_length=100)


class Project(models.Model):
    organisation = models.ForeignKey(Organisation, related_name="projects", on_delete=models.CASCADE)


class Environment(models.Model):
    project = models.ForeignKey(Project, related_name="environments", on_delete=models.CASCADE)
    name = models.CharField(max_length=100)
