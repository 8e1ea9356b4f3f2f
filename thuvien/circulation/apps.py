from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CirculationConfig(AppConfig):
    name = "thuvien.circulation"
    label = "circulation"
    verbose_name = _("Circulation")

    def ready(self) -> None:
        from thuvien.circulation.indicators import register_indicators
        from thuvien.core import demo

        register_indicators()
        demo.register(
            "circulation",
            seed=f"{self.name}.demo.seed_circulation",
            clear=f"{self.name}.demo.clear_circulation_data",
            order=27,  # after the catalogue, whose copies it lends
        )
