from django.db import migrations, models


class Migration(migrations.Migration):
    """Only now, with existing rows marked done (0003), can a done batch be required to be
    applied and the reverse."""

    dependencies = [
        ("core", "0003_mark_applied_batches_done"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="importbatch",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status__in", ["pending", "queued", "running", "done", "failed"])
                ),
                name="import_batch_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="importbatch",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("applied_at__isnull", False), ("status", "done")),
                    models.Q(
                        models.Q(("status", "done"), _negated=True), ("applied_at__isnull", True)
                    ),
                    _connector="OR",
                ),
                name="import_batch_applied_when_done",
            ),
        ),
    ]
