from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "thuvien.events"
    label = "events"
    verbose_name = _("Training events")

    def ready(self) -> None:
        from thuvien.core import demo, history, school_export
        from thuvien.events.history import history_provider
        from thuvien.events.school_export import school_events

        history.register(history_provider)
        school_export.register(school_events)
        demo.register(
            "events",
            seed=f"{self.name}.demo.seed_events",
            clear=f"{self.name}.demo.clear_events_data",
            order=20,
        )
