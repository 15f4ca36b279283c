from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("orders", "0002_order_reference")]

    operations = [
        migrations.RemoveIndex(model_name="order", name="order_channel"),
        migrations.AlterField(model_name="order", name="sku", field=models.CharField(max_length=32)),
        migrations.RunSQL(
            "CREATE INDEX order_placed_brin ON orders_order USING brin (placed_at)",
            reverse_sql="DROP INDEX order_placed_brin",
        ),
    ]
