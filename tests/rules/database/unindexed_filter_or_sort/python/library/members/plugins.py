from django.contrib.postgres.indexes import GinIndex
from django.db import models


class ExtraDataModel(models.Model):
    extra = models.JSONField(default=dict)

    class Meta:
        abstract = True
        indexes = [GinIndex(fields=["extra"], name="%(class)s_extra")]
