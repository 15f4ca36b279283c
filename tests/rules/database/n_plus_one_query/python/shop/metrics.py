# Eager loads on the loop's source query: nested paths, querysets handed in, Prefetch objects.
from django.db.models import Prefetch, QuerySet

from .models import Environment, Organisation


def environment_names(organisations: QuerySet[Organisation]) -> list[list[str]]:
    # the queryset is a parameter: its prefetch still loads projects and their environments
    orgs = organisations.prefetch_related("projects__environments", "users").order_by("id")
    out = []
    for org in orgs:
        # ok: SC-DB-003
        for project in org.projects.all():
            # ok: SC-DB-003
            ids = [e.id for e in project.environments.all()]
            # ok: SC-DB-003
            names = [e.name for e in project.environments.all()]
            out.append(ids + names)
    return out


def environment_names_shallow(organisations: QuerySet[Organisation]) -> list[list[str]]:
    # only projects are prefetched: each project's environments are one query per project
    orgs = organisations.prefetch_related("projects")
    out = []
    for org in orgs:
        # ok: SC-DB-003
        for project in org.projects.all():
            # ruleid: SC-DB-003
            out.append([e.name for e in project.environments.all()])
    return out


def environments_of(organisations: QuerySet[Organisation]) -> list[str]:
    # a nested path does not prefetch the leaf on the outer item: org.environments is not loaded
    orgs = organisations.prefetch_related("projects__environments")
    out = []
    for org in orgs:
        # ruleid: SC-DB-003 low
        out.extend(e.name for e in org.environments.all())
    return out


def live_environments() -> list[str]:
    orgs = Organisation.objects.prefetch_related(
        Prefetch("projects__environments", queryset=Environment.objects.filter(name__startswith="live"))
    )
    out = []
    for org in orgs:
        for project in org.projects.all():
            # ok: SC-DB-003
            out.extend(e.name for e in project.environments.all())
    return out


def staged_projects() -> list[int]:
    # to_attr caches the rows in a list: the relation itself is not loaded
    orgs = Organisation.objects.prefetch_related(Prefetch("projects", to_attr="project_list"))
    out = []
    for org in orgs:
        # ruleid: SC-DB-003
        out.extend(p.id for p in org.projects.all())
    return out


def reassigned() -> list[int]:
    # the queryset gains its prefetch in a later statement, and is looped further down
    orgs = Organisation.objects.filter(name__startswith="a")
    orgs = orgs.prefetch_related("projects")
    counts = []
    for org in orgs:
        # ok: SC-DB-003
        counts.append(len(org.projects.all()))
    return counts
