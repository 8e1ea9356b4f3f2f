from django.db import migrations
from django.db.models import F


def mark_applied_batches_done(apps, schema_editor):
    """Batches applied before batches had a status (synchronously, on confirm) are done."""
    ImportBatch = apps.get_model("core", "ImportBatch")
    ImportBatch.objects.filter(applied_at__isnull=False).exclude(status="done").update(
        status="done", queued_at=F("applied_at"), finished_at=F("applied_at")
    )


def mark_done_batches_pending(apps, schema_editor):
    """Back to the old meaning: only `applied_at` tells a batch was applied."""
    ImportBatch = apps.get_model("core", "ImportBatch")
    ImportBatch.objects.filter(status="done").update(status="pending")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_import_batch_status"),
    ]

    operations = [
        migrations.RunPython(mark_applied_batches_done, mark_done_batches_pending),
    ]
