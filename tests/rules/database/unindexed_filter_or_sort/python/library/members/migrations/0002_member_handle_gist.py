import django.contrib.postgres.indexes
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        migrations.AddIndex(
            model_name="member",
            index=django.contrib.postgres.indexes.GistIndex(fields=["handle"], name="member_handle"),
        ),
    ]
