from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "thuvien.events"
    label = "events"
    verbose_name = _("Training events")

    def ready(self) -> None:
        from thuvien.core import demo, history, home, school_export
        from thuvien.events import home as todo_list
        from thuvien.events.history import history_provider
        from thuvien.events.indicators import register_indicators
        from thuvien.events.school_export import school_events

        home.register(todo_list.todo, order=30)
        history.register(history_provider)
        school_export.register(school_events)
        register_indicators()
        demo.register(
            "events",
            seed=f"{self.name}.demo.seed_events",
            clear=f"{self.name}.demo.clear_events_data",
            order=20,
        )
