from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "thuvien.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from thuvien.accounts.home import profile_card
        from thuvien.core import home

        home.register(profile_card, order=90)
