from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="order",
            name="reference",
            field=models.CharField(default="", max_length=32, unique=True),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(fields=["customer", "-placed_at"], name="order_customer_placed"),
        ),
        migrations.RenameField(model_name="order", old_name="note", new_name="note_text"),
    ]
