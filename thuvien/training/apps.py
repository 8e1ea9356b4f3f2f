from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "thuvien.training"
    label = "training"
    verbose_name = _("Professional development")

    def ready(self) -> None:
        from thuvien.core import demo, history, home, school_export
        from thuvien.training import home as todo_list
        from thuvien.training.indicators import register_indicators
        from thuvien.training.record_queries import training_history
        from thuvien.training.school_export import school_records
        from thuvien.training.versions import track_campaign_data

        home.register(todo_list.todo, order=20)
        history.register(training_history)
        school_export.register(school_records)
        track_campaign_data()
        register_indicators()
        demo.register(
            "training",
            seed=f"{self.name}.demo.seed_training",
            clear=f"{self.name}.demo.clear_training_data",
            order=10,
        )
