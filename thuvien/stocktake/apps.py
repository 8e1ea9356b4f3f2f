from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StocktakeConfig(AppConfig):
    name = "thuvien.stocktake"
    label = "stocktake"
    verbose_name = _("Stocktake")
