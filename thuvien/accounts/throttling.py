"""Login throttling: django-axes, told what an account and a client address are.

Axes counts failures under two keys (`AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]`):

- the **account**: whatever was typed (the username in any case, or the e-mail address) resolves,
  through the same lookup as logging in, to the account's key, so every spelling shares the
  account's `AXES_FAILURE_LIMIT` guesses and its lock. A login that names no account is counted
  under its normalised spelling in the same way and answers the same: the lock does not tell
  whether an account exists.
- the **client address**, as the proxy in front saw it, with a larger allowance
  (`AXES_ADDRESS_FAILURE_LIMIT`): a school's staff share one address, an attacker spraying
  guesses over many accounts from one address is stopped.

While locked, Axes refuses even the right password (its backend comes first) and counts it.
"""

from ipaddress import ip_address
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.http import HttpRequest

from thuvien.accounts.backends import find_account


def account_key(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the key failures are counted under for what was typed."""
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    typed = credentials.get(field) if credentials else request.POST.get(field)
    if not typed:
        return None
    account = find_account(typed)
    if account is not None:
        typed = account.get_username()
    return str(typed).strip().casefold()


def client_address(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the address the outermost of `AXES_IPWARE_PROXY_COUNT` proxies
    saw. Each proxy appends the address it saw to X-Forwarded-For, so that address is the
    count-th from the right; anything left of it was written by the client and is ignored."""
    remote: str | None = request.META.get("REMOTE_ADDR")
    proxies = settings.AXES_IPWARE_PROXY_COUNT or 0
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if not proxies or len(hops) < proxies:
        return remote
    try:
        return str(ip_address(hops[-proxies]))
    except ValueError:
        return remote


def _total(attempts: QuerySet[Any]) -> int:
    return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)


class AccountAndAddressHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """AXES_HANDLER: Axes' database handler with the address's own, larger allowance."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        account, address = (_total(group) for group in self.get_user_attempts(request, credentials))
        if address >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            # The address has used up its allowance: lock whatever it tries.
            return max(account, int(get_failure_limit(request, credentials)))
        return account

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        """A success resets the account's count only: logging in to one's own account must not
        wipe the guesses made at other accounts from the same address."""
        account, _address = self.filter_user_attempts(request, credentials)
        count, _deleted = account.delete()
        return int(count)
