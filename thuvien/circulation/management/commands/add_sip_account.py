"""A SIP2 account for a school's kiosk: prints the password to configure the kiosk with."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thuvien.circulation.models import SipAccount
from thuvien.organisations.models import Unit


class Command(BaseCommand):
    help = "Create (or give a new password to) a school's SIP2 kiosk account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("school", help="The school's id or its Ministry code")
        parser.add_argument("login")
        parser.add_argument("--password", help="Default: a new random one, printed")
        parser.add_argument("--location", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        key = options["school"]
        rows = Unit.objects.schools()
        school = (rows.filter(pk=int(key)).first() if key.isdigit() else None) or rows.filter(
            code=key
        ).first()
        if school is None:
            raise CommandError(f"No school with the id or code {key}.")
        password = options["password"] or secrets.token_urlsafe(12)
        account, _created = SipAccount.objects.get_or_create(
            login=options["login"], defaults={"school": school}
        )
        if account.school_id != school.pk:
            raise CommandError(f"The login {account.login} belongs to another school.")
        account.set_password(password)
        account.location = options["location"] or account.location
        account.active = True
        account.save()
        self.stdout.write(f"{account.login} at {school.name}: password {password}")
