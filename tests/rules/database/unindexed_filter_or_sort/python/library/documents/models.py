from django.db import models


class Document(models.Model):
    title = models.CharField(max_length=200)
    folder = models.CharField(max_length=100)
    deleted_at = models.DateTimeField(null=True, db_index=True)
    archived_on = models.DateField(null=True)
    reviewed_at = models.DateTimeField(null=True)
