from django.contrib.postgres.operations import TrigramExtension
from django.contrib.postgres.indexes import GinIndex
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.AddIndex(
            model_name="order",
            index=GinIndex(fields=["title"], name="orders_title_trgm", opclasses=["gin_trgm_ops"]),
        ),
    ]
