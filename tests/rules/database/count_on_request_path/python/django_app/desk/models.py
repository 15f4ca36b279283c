from django.contrib.auth.models import User
from django.db import models


class Category(models.Model):
    name = models.CharField(max_length=50)


class Team(models.Model):
    name = models.CharField(max_length=100)
    max_members = models.IntegerField(default=10)


class Membership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE)
    email = models.EmailField()


class Case(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    status = models.CharField(max_length=20)
    category = models.ForeignKey(Category, on_delete=models.PROTECT)


class Alert(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE)
    seen = models.BooleanField(default=False)
