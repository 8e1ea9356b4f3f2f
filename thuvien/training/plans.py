"""The person's plan in their record, read side and forms (the changes are in `services.plans`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from thuvien.core.widgets import DateInput
from thuvien.training.models import Campaign, Enrolment, Material, Milestone, PlanEntry, Topic


class PlanEntryForm(forms.Form):
    what = forms.CharField(label=_("What I will study"), max_length=500)
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("Until"), widget=DateInput())
    milestone = forms.ModelChoiceField(
        queryset=Milestone.objects.none(), label=_("Milestone"), required=False
    )
    material = forms.ModelChoiceField(
        queryset=Material.objects.none(), label=_("Material"), required=False
    )
    topic = forms.ModelChoiceField(queryset=Topic.objects.none(), label=_("Topic"), required=False)

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("milestone", "material", "topic"):
            field = self.fields[name]
            field.queryset = getattr(campaign, f"{name}s").all()  # type: ignore[attr-defined]


class PlanEntryActionForm(forms.Form):
    entry = forms.IntegerField(min_value=1)
    action = forms.ChoiceField(choices=[("done", "done"), ("undo", "undo"), ("remove", "remove")])


@dataclass(frozen=True)
class PlanRow:
    entry: PlanEntry
    links: list[str]
    done: bool  # ticked, or the report is handed in: the record and its plan say the same


def plan_rows(enrolment: Enrolment) -> list[PlanRow]:
    """The plan's entries in date order, each with the titles of what it is linked to. Once the
    report is handed in every entry reads done, as the record's milestones do
    (`record_queries.stances`)."""
    if not enrolment.plan:
        return []
    campaign = enrolment.campaign
    titles: dict[str, dict[int, str]] = {
        "milestone": dict(campaign.milestones.values_list("pk", "name")),
        "material": dict(campaign.materials.values_list("pk", "title")),
        "topic": dict(campaign.topics.values_list("pk", "title")),
    }
    return [
        PlanRow(
            entry,
            [
                titles[kind][pk]
                for kind in ("milestone", "material", "topic")
                if (pk := getattr(entry, kind)) is not None and pk in titles[kind]
            ],
            entry.done or enrolment.handed_in,
        )
        for entry in enrolment.plan_entries()
    ]
