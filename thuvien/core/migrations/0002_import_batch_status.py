from django.db import migrations, models


class Migration(migrations.Migration):
    """Schema only: the state of a batch and its outcome (see 0003 for existing rows)."""

    dependencies = [
        ("core", "0001_import_batches"),
    ]

    operations = [
        migrations.AddField(
            model_name="importbatch",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Not confirmed"),
                    ("queued", "Waiting"),
                    ("running", "Importing"),
                    ("done", "Done"),
                    ("failed", "Failed"),
                ],
                default="pending",
                max_length=16,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="scope_membership_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="queued_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="confirmed at"),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="finished_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="finished at"),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="error",
            field=models.TextField(blank=True, verbose_name="error"),
        ),
    ]
