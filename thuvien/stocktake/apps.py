from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StocktakeConfig(AppConfig):
    name = "thuvien.stocktake"
    label = "stocktake"
    verbose_name = _("Stocktake")

    def ready(self) -> None:
        from thuvien.core import demo

        demo.register(
            "stocktake",
            seed=f"{self.name}.demo.seed_stocktake",
            clear=f"{self.name}.demo.clear_stocktake_data",
            order=28,  # after the circulation, whose loans it finds on loan
        )
