from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "thuvien.catalogue"
    label = "catalogue"
    verbose_name = _("Library collection")

    def ready(self) -> None:
        from thuvien.catalogue.indicators import register_indicators

        register_indicators()
