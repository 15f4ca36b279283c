from django.db import models


class Garden(models.Model):
    name = models.CharField(max_length=80)


class Bed(models.Model):
    garden = models.ForeignKey(Garden, related_name="beds", on_delete=models.CASCADE)
    label = models.CharField(max_length=40)
    needs_water = models.BooleanField(default=False)


class Plant(models.Model):
    bed = models.ForeignKey(Bed, related_name="plants", on_delete=models.CASCADE)
    species = models.CharField(max_length=80)


class Harvest(models.Model):
    plant = models.ForeignKey(Plant, related_name="harvests", on_delete=models.CASCADE)
    grams = models.IntegerField()
