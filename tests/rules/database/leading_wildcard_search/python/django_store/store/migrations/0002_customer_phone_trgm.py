from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("store", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.AddIndex(
            model_name="customer",
            index=GinIndex(fields=["phone"], opclasses=["gin_trgm_ops"], name="customer_phone_trgm"),
        ),
    ]
