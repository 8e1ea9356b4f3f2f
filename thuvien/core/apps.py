from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "thuvien.core"
    label = "core"
