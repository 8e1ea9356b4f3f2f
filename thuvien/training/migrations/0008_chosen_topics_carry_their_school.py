"""The topics a record chooses beyond the first keep their school too: the plain many-to-many
table becomes the `ChosenTopic` model (same table, same columns) with a `school` column filled from
the record."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_school(apps, schema_editor):
    Enrolment = apps.get_model("training", "Enrolment")
    school = Subquery(Enrolment.objects.filter(pk=OuterRef("enrolment_id")).values("school_id"))
    apps.get_model("training", "ChosenTopic").objects.update(school_id=school)


def school(null):
    return models.ForeignKey(
        editable=False,
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="organisations.unit",
        verbose_name="school",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_unit_tree_and_memberships"),
        ("training", "0007_school_on_notes_and_versions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The table exists already: only Django's picture of it changes.
            state_operations=[
                migrations.CreateModel(
                    name="ChosenTopic",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "enrolment",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="training.enrolment",
                            ),
                        ),
                        (
                            "topic",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="training.topic",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "chosen topic",
                        "verbose_name_plural": "chosen topics",
                        "db_table": "training_enrolment_extra_topics",
                        "unique_together": {("enrolment", "topic")},
                    },
                ),
                migrations.AlterField(
                    model_name="enrolment",
                    name="extra_topics",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="+",
                        through="training.ChosenTopic",
                        to="training.topic",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(model_name="chosentopic", name="school", field=school(True)),
        migrations.RunPython(fill_school, migrations.RunPython.noop),
        migrations.AlterField(model_name="chosentopic", name="school", field=school(False)),
    ]
