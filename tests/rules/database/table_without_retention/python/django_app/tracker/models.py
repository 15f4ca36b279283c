from django.conf import settings
from django.db import models


class RequestAudit(models.Model):
    path = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)


class SearchHistory(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    query = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)


class Order(models.Model):
    number = models.CharField(max_length=20, unique=True)
    total = models.DecimalField(max_digits=10, decimal_places=2)


class PasswordResetToken(models.Model):
    token = models.CharField(max_length=64, unique=True)
    email = models.EmailField()
    expires_at = models.DateTimeField()


class Project(models.Model):
    name = models.CharField(max_length=100)


class ProjectPing(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)


class ImportLog(models.Model):
    status = models.CharField(max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)


class EmailEvent(models.Model):
    kind = models.CharField(max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)
