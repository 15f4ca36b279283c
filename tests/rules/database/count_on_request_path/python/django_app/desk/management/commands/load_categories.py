from django.core.management.base import BaseCommand

from desk.models import Case, Category


class Command(BaseCommand):
    def handle(self, *args, **options):
        Category.objects.create(name="billing")
        # a command, not the request path
        # ok: SC-DB-017
        self.stdout.write(str(Case.objects.count() + 1))
