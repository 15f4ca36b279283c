from django.conf import settings
from django.db import models


class Order(models.Model):
    # ok: SC-DB-016
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    # ok: SC-DB-016
    reference = models.CharField(max_length=32, unique=True)
    # db_index added to the model, makemigrations not run since
    # ruleid: SC-DB-016
    status = models.CharField(max_length=16, db_index=True)
    # ruleid: SC-DB-016
    sku = models.CharField(max_length=32, db_index=True)
    # ok: SC-DB-016
    note_text = models.CharField(max_length=200, db_index=True)
    channel = models.CharField(max_length=16)
    external_id = models.CharField(max_length=64)
    placed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            # ok: SC-DB-016
            models.Index(fields=["customer", "-placed_at"], name="order_customer_placed"),
            # ruleid: SC-DB-016
            models.Index(fields=["status", "placed_at"], name="order_status_placed"),
            # ruleid: SC-DB-016
            models.Index(fields=["channel"], name="order_channel"),
        ]
        # ok: SC-DB-016
        unique_together = [("customer", "external_id")]


class LegacyInvoice(models.Model):
    # ok: SC-DB-016
    number = models.CharField(max_length=20, db_index=True)

    class Meta:
        managed = False
        db_table = "legacy_invoices"
