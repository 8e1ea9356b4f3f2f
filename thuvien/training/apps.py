from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "thuvien.training"
    label = "training"
    verbose_name = _("Professional development")
