import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.CreateModel(
            name="Order",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("status", models.CharField(max_length=16)),
                ("sku", models.CharField(db_index=True, max_length=32)),
                ("note", models.CharField(db_index=True, max_length=200)),
                ("channel", models.CharField(max_length=16)),
                ("external_id", models.CharField(max_length=64)),
                ("placed_at", models.DateTimeField(auto_now_add=True)),
                (
                    "customer",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["channel"], name="order_channel")],
                "unique_together": {("customer", "external_id")},
            },
        ),
        migrations.CreateModel(
            name="LegacyInvoice",
            fields=[("id", models.AutoField(primary_key=True, serialize=False)), ("number", models.CharField(max_length=20))],
            options={"db_table": "legacy_invoices", "managed": False},
        ),
    ]
