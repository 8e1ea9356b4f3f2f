"""Study notes and report versions carry their school directly (filled from their record)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_school(apps, schema_editor):
    Enrolment = apps.get_model("training", "Enrolment")
    school = Subquery(Enrolment.objects.filter(pk=OuterRef("enrolment_id")).values("school_id"))
    for name in ("StudyNote", "ReportVersion", "HistoricalStudyNote"):
        apps.get_model("training", name).objects.update(school_id=school)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_unit_tree_and_memberships"),
        ("training", "0006_more_topics_per_person"),
    ]

    operations = [
        migrations.AddField(
            model_name="studynote",
            name="school",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.unit",
                verbose_name="school",
            ),
        ),
        migrations.AddField(
            model_name="reportversion",
            name="school",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.unit",
                verbose_name="school",
            ),
        ),
        migrations.AddField(
            model_name="historicalstudynote",
            name="school",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="organisations.unit",
                verbose_name="school",
            ),
        ),
        migrations.RunPython(fill_school, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="studynote",
            name="school",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.unit",
                verbose_name="school",
            ),
        ),
        migrations.AlterField(
            model_name="reportversion",
            name="school",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.unit",
                verbose_name="school",
            ),
        ),
    ]
