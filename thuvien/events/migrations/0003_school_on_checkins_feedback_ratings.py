"""Check-ins, feedback and session ratings carry their school directly (from the registration)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_school(apps, schema_editor):
    Registration = apps.get_model("events", "Registration")
    Feedback = apps.get_model("events", "Feedback")
    by_registration = Subquery(
        Registration.objects.filter(pk=OuterRef("registration_id")).values("school_id")
    )
    apps.get_model("events", "CheckIn").objects.update(school_id=by_registration)
    Feedback.objects.update(school_id=by_registration)
    by_feedback = Subquery(Feedback.objects.filter(pk=OuterRef("feedback_id")).values("school_id"))
    apps.get_model("events", "SessionRating").objects.update(school_id=by_feedback)


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
        ("events", "0002_the_six_themes"),
    ]

    operations = [
        *(
            migrations.AddField(model_name=name, name="school", field=school(True))
            for name in ("checkin", "feedback", "sessionrating")
        ),
        migrations.RunPython(fill_school, migrations.RunPython.noop),
        *(
            migrations.AlterField(model_name=name, name="school", field=school(False))
            for name in ("checkin", "feedback", "sessionrating")
        ),
    ]
