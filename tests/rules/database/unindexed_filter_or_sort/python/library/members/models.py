from django.contrib.postgres.indexes import BrinIndex, GinIndex, GistIndex, HashIndex
from django.db import models

from .plugins import ExtraDataModel


class Member(ExtraDataModel):
    username = models.CharField(max_length=40)
    handle = models.CharField(max_length=40)
    slug = models.CharField(max_length=40)
    bio = models.TextField()
    joined_on = models.DateTimeField()

    class Meta(ExtraDataModel.Meta):
        # the base's indexes plus this model's own: a concatenated list
        indexes = ExtraDataModel.Meta.indexes + [
            # GiST on a text column exists only with btree_gist, which serves equality and ranges
            GistIndex(name="member_username", fields=["username"]),
            HashIndex(name="member_slug", fields=["slug"]),
            BrinIndex(name="member_joined", fields=["joined_on"]),
            GinIndex(name="member_bio", fields=["bio"], opclasses=["gin_trgm_ops"]),
        ]


class Group(models.Model):
    # the project's own reading groups: a name with no index
    name = models.CharField(max_length=80)
