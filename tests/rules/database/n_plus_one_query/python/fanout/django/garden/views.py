"""The beds of ONE garden (a parent's fan-out) beside beds of every garden."""

from django.http import JsonResponse

from .models import Bed, Garden, Harvest, Plant


def garden_summary(request, garden_id):
    garden = Garden.objects.get(pk=garden_id)
    out = {}
    for bed in garden.beds.all():
        # ruleid: SC-DB-003 (low: the beds of one garden, a relation accessor)
        out[bed.label] = len(bed.plants.filter(species__isnull=False))
    return JsonResponse(out)


def garden_beds(request, garden_id):
    beds = Bed.objects.filter(garden_id=garden_id, needs_water=False)
    out = {}
    for bed in beds:
        # ruleid: SC-DB-003 (low: the beds of one garden, filtered by its foreign key)
        out[bed.label] = Plant.objects.filter(bed=bed).count()
    return JsonResponse(out)


def watering_round(request):
    dry = Bed.objects.filter(needs_water=True)
    out = {}
    for bed in dry:
        # ruleid: SC-DB-003 (high: dry beds of every garden)
        out[bed.id] = list(Plant.objects.filter(bed=bed).values_list("species", flat=True))
    return JsonResponse(out)


def gardens_report(request):
    ids = request.GET.getlist("garden")
    beds = Bed.objects.filter(garden__in=ids)
    out = {}
    for bed in beds:
        # ruleid: SC-DB-003 (high: the beds of a list of gardens)
        out[bed.id] = Plant.objects.filter(bed=bed).count()
    return JsonResponse(out)


def garden_harvests(request, garden_id):
    garden = Garden.objects.get(pk=garden_id)
    out = {}
    for bed in garden.beds.all():
        # ruleid: SC-DB-003 (low: the plants of one bed, for each bed of one garden)
        for plant in bed.plants.all():
            # ruleid: SC-DB-003 (low: nested, still the plants of one garden in total)
            out[plant.pk] = Harvest.objects.filter(plant=plant).count()
    return JsonResponse(out)


def dry_beds_harvests(request):
    out = {}
    for bed in Bed.objects.filter(needs_water=True):
        # ruleid: SC-DB-003 (high: run for each dry bed of every garden)
        for plant in bed.plants.all():
            # ruleid: SC-DB-003 (high: the plants of one bed, for each bed of every garden)
            out[plant.pk] = Harvest.objects.filter(plant=plant).count()
    return JsonResponse(out)
