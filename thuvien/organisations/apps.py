from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "thuvien.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from thuvien.core import home, school_export, versions
        from thuvien.organisations import home as sections
        from thuvien.organisations.models import TREE_VERSION, Unit
        from thuvien.organisations.school_export import school_and_people

        home.register(sections.figures, order=10)
        home.register(sections.cards, order=10)
        school_export.register(school_and_people)
        versions.track(Unit, lambda unit: [TREE_VERSION])
