from django.db import models


class Member(models.Model):
    email = models.EmailField()
    name = models.CharField(max_length=100)


class Workspace(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)


class Vote(models.Model):
    poll_id = models.IntegerField()
    user = models.ForeignKey("auth.User", on_delete=models.CASCADE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll_id", "user"], name="one_vote")]


class Follow(models.Model):
    follower_id = models.IntegerField()
    followee_id = models.IntegerField()
