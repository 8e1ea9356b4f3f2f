from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "thuvien.catalogue"
    label = "catalogue"
    verbose_name = _("Library collection")

    def ready(self) -> None:
        from thuvien.catalogue.indicators import register_indicators
        from thuvien.core import demo

        register_indicators()
        demo.register(
            "catalogue",
            seed=f"{self.name}.demo.seed_catalogue",
            clear=f"{self.name}.demo.clear_catalogue_data",
            order=25,  # before the standards, whose values count the copies
        )
