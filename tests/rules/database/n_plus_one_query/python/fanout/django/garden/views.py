"""The beds of ONE garden (a parent's fan-out) beside beds of every garden."""

from django.http import JsonResponse

from .models import Bed, Garden, Plant


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
