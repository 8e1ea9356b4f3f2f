"""Who is reading the public catalogue: a reader logged in with their code and PIN (kept in the
session), or a person whose account is linked to a reader. Failed PINs are counted per reader
in the cache: after five in fifteen minutes the reader's login waits."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _

from thuvien.circulation.models import ACTIVE, Hold, Loan, Reader
from thuvien.circulation.services import CirculationError
from thuvien.organisations.models import Unit

SESSION_KEY = "opac_reader"
MAX_FAILURES = 5
LOCKOUT_SECONDS = 15 * 60


def reader_of(request: HttpRequest) -> Reader | None:
    reader_id = request.session.get(SESSION_KEY)
    # policy: the reader the session logged in (by code and PIN), or the account's own reader
    rows = Reader.objects.select_related("school").filter(active=True)
    if reader_id:
        found = rows.filter(pk=reader_id).first()
        if found is not None:
            return found
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return rows.filter(user=user).order_by("pk").first()
    return None


def _failures_key(school: Unit, code: str) -> str:
    return f"opac-pin:{school.pk}:{code.strip().upper()}"


def log_in(request: HttpRequest, school: Unit, code: str, pin: str) -> Reader:
    key = _failures_key(school, code)
    failures = int(cache.get(key, 0))
    if failures >= MAX_FAILURES:
        raise CirculationError(
            _("Too many wrong PINs for this reader code: try again in 15 minutes.")
        )
    # policy: a reader of the school asked for by code, to check the PIN they typed
    reader = Reader.objects.filter(school=school, code=code.strip(), active=True).first()
    if reader is None or not reader.check_pin(pin.strip()):
        cache.set(key, failures + 1, LOCKOUT_SECONDS)
        raise CirculationError(
            _("The reader code or the PIN is wrong. Your librarian gives you your PIN.")
        )
    cache.delete(key)
    request.session.cycle_key()
    request.session[SESSION_KEY] = reader.pk
    return reader


def log_out(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


# The reader's own rows: what the public catalogue shows a logged-in reader, and only theirs.


def own_loans(reader: Reader) -> list[Loan]:
    rows = Loan.objects.filter(reader=reader, returned_at__isnull=True)
    return list(rows.select_related("copy__record").order_by("due_on", "pk"))


def own_open_loan(reader: Reader | None, loan_id: int) -> Loan | None:
    if reader is None:
        return None
    rows = Loan.objects.select_related("copy__record", "copy__collection", "school", "reader")
    return rows.filter(pk=loan_id, reader=reader, returned_at__isnull=True).first()


def own_holds(reader: Reader) -> list[Hold]:
    rows = Hold.objects.filter(reader=reader, status__in=ACTIVE).select_related("record")
    return list(rows.order_by("placed_at", "pk"))


def own_hold(reader: Reader | None, hold_id: int) -> Hold | None:
    if reader is None:
        return None
    return Hold.objects.select_related("record", "school").filter(pk=hold_id, reader=reader).first()
