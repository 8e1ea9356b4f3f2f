"""Self-check kiosks and RFID stations that talk SIP2 to ThuVien: one account a kiosk, owned by
its school (the login and a hashed password the kiosk is configured with)."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils.translation import gettext_lazy as _

from thuvien.access import ScopedQuerySet
from thuvien.circulation.models.readers import CIRCULATION_ROWS
from thuvien.organisations.models import Unit


class KioskQuerySet(ScopedQuerySet["SipAccount"]):
    pass


class SipAccount(models.Model):
    school = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    login = models.CharField(_("login"), max_length=40, unique=True)
    password_hash = models.CharField(max_length=128, editable=False)
    location = models.CharField(_("where it stands"), max_length=100, blank=True)
    active = models.BooleanField(_("active"), default=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    policy = CIRCULATION_ROWS
    objects = KioskQuerySet.as_manager()

    class Meta:
        verbose_name = _("SIP2 kiosk account")
        verbose_name_plural = _("SIP2 kiosk accounts")

    def __str__(self) -> str:
        return self.login

    def set_password(self, password: str) -> None:
        self.password_hash = make_password(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password(password, self.password_hash)
