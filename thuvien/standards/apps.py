from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "thuvien.standards"
    label = "standards"
    verbose_name = _("Library standards")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from thuvien.core import demo
        from thuvien.standards.indicators import register_indicators
        from thuvien.standards.services import ship_frameworks_after_migrate
        from thuvien.standards.versions import track_window_data

        post_migrate.connect(ship_frameworks_after_migrate, sender=self)
        register_indicators()
        track_window_data()
        demo.register(
            "standards",
            seed=f"{self.name}.demo.seed_standards",
            clear=f"{self.name}.demo.clear_standards_data",
            order=30,
        )
