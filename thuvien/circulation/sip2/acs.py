"""The ACS side of SIP2: each request answered with the desk's own use cases, at the school of
the kiosk account that logged in on the connection (93). Before a login only the status (99)
and resend (97) requests are answered; every other one gets its response with ok = 0 and a
screen message saying to log in.

A kiosk identifies the reader by the code on their card (AA); a password (AD) is their PIN
for the public catalogue: when given it must be right. Checkout (11), checkin (09), renew (29),
item information (17), patron status and information (23, 63) and end of session (35) are
answered; a scan sent twice by a kiosk that did not hear the answer does nothing twice (the
desk's double-scan rules: the same copy to the same reader, a return within ten minutes)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import close_old_connections
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from thuvien.catalogue.models import Copy, CopyStatus
from thuvien.circulation.models import Hold, HoldStatus, Loan, Reader, SipAccount
from thuvien.circulation.services import CirculationError, desk, holds
from thuvien.circulation.sip2.protocol import Request, format_message, timestamp
from thuvien.organisations.models import Unit

# BX, in the spec's order: patron status, checkout, checkin, block patron, SC/ACS status,
# resend, login, patron information, end session, fee paid, item information, item status
# update, patron enable, hold, renew, renew all.
SUPPORTED = "YYYNYYYYYNYNNNYY"
YES, NO = "Y", "N"


def _due(day: dt.date) -> str:
    return day.strftime("%Y%m%d    235959")


def _flag(value: bool) -> str:
    return YES if value else NO


@dataclass
class Session:
    account: SipAccount | None = None
    last: str = ""

    @property
    def school(self) -> Unit | None:
        return self.account.school if self.account else None

    def answer(self, request: Request) -> str:
        close_old_connections()
        with override("vi"):
            if not request.checksum_ok:
                return format_message("96", "", [], None)
            if request.code == "97":
                return self.last or format_message("96", "", [], None)
            handler = getattr(self, f"_m{request.code}")
            if self.account is None and request.code not in ("93", "99"):
                reply = self._not_logged_in(request)
            else:
                reply = handler(request)
            self.last = reply
            return reply

    # --- helpers ---------------------------------------------------------------------------

    def _now(self) -> str:
        return timestamp(timezone.localtime())

    def _institution(self, request: Request) -> str:
        school = self.school
        return school.code if school is not None and school.code else request.get("AO")

    def _reader(self, request: Request) -> tuple[Reader | None, str]:
        """The reader of AA at the kiosk's school, and why not (a screen message)."""
        assert self.school is not None
        code = request.get("AA").strip()
        reader = Reader.objects.filter(school=self.school, code=code).first()
        if reader is None:
            return None, _("No reader of the school has the code %(code)s.") % {"code": code}
        pin = request.get("AD")
        if pin and not reader.check_pin(pin):
            return None, _(
                "The reader code or the PIN is wrong. Your librarian gives you your PIN."
            )
        if not reader.active:
            return None, _("%(reader)s is no longer an active reader of the school.") % {
                "reader": reader
            }
        return reader, ""

    def _not_logged_in(self, request: Request) -> str:
        """The request's own response, refused: ok = 0 (or the patron unknown), with why."""
        message = _("This kiosk is not logged in: check its SIP2 login and password.")
        now = self._now()
        code, fixed = {
            "11": ("12", "0NUN" + now),
            "09": ("10", "0NUN" + now),
            "29": ("30", "0NUN" + now),
            "65": ("66", "000000000" + now),
            "17": ("18", "010001" + now),
            "23": ("24", "Y" * 14 + "000" + now),
            "63": ("64", "Y" * 14 + "000" + now + "0" * 24),
            "35": ("36", NO + now),
        }[request.code]
        fields = [("AO", request.get("AO")), ("AA", request.get("AA"))]
        if request.get("AB"):
            fields.append(("AB", request.get("AB")))
        fields.append(("AF", message))
        return format_message(code, fixed, fields, request.sequence)

    # --- messages --------------------------------------------------------------------------

    def _m93(self, request: Request) -> str:
        login, password = request.get("CN"), request.get("CO")
        account = (
            SipAccount.objects.select_related("school").filter(login=login, active=True).first()
        )
        ok = account is not None and account.check_password(password)
        if ok and account is not None:
            self.account = account
            SipAccount.objects.filter(pk=account.pk).update(last_seen_at=timezone.now())
        return format_message("94", "1" if ok else "0", [], request.sequence)

    def _m99(self, request: Request) -> str:
        school = self.school
        name = school.name if school is not None else "ThuVien"
        online = self.account is not None
        fixed = (
            f"{_flag(online)}{_flag(online)}{_flag(online)}{_flag(online)}NN030003{self._now()}2.00"
        )
        fields = [("AO", self._institution(request)), ("AM", name), ("BX", SUPPORTED)]
        if not online:
            fields.append(
                ("AF", _("This kiosk is not logged in: check its SIP2 login and password."))
            )
        return format_message("98", fixed, fields, request.sequence)

    def _patron_status(self, reader: Reader | None) -> str:
        status = [" "] * 14
        if reader is None or not reader.active:
            status[0] = status[1] = status[3] = YES
        elif Loan.objects.filter(reader=reader).overdue().exists():
            status[6] = YES
        return "".join(status)

    def _m23(self, request: Request) -> str:
        reader, why = self._reader(request)
        fields = [("AO", self._institution(request)), ("AA", request.get("AA"))]
        fields += [("AE", reader.full_name if reader else ""), ("BL", _flag(reader is not None))]
        if request.get("AD"):
            fields.append(("CQ", _flag(reader is not None)))
        if why:
            fields.append(("AF", why))
        return format_message(
            "24", self._patron_status(reader) + "000" + self._now(), fields, request.sequence
        )

    def _m63(self, request: Request) -> str:
        reader, why = self._reader(request)
        loans: list[Loan] = []
        overdue = waiting = 0
        if reader is not None:
            loans = desk.open_loans(reader)
            overdue = sum(1 for loan in loans if loan.is_overdue())
            waiting = Hold.objects.filter(reader=reader, status=HoldStatus.READY).count()
        counts = f"{waiting:04d}{overdue:04d}{len(loans):04d}{0:04d}{0:04d}{0:04d}"
        fields = [("AO", self._institution(request)), ("AA", request.get("AA"))]
        fields += [("AE", reader.full_name if reader else ""), ("BL", _flag(reader is not None))]
        if request.get("AD"):
            fields.append(("CQ", _flag(reader is not None)))
        fields += [("AU", loan.copy.barcode) for loan in loans]
        fields += [("AT", loan.copy.barcode) for loan in loans if loan.is_overdue()]
        if why:
            fields.append(("AF", why))
        fixed = self._patron_status(reader) + "000" + self._now() + counts
        return format_message("64", fixed, fields, request.sequence)

    def _m11(self, request: Request) -> str:
        barcode = request.get("AB").strip()
        fields: list[tuple[str, str]] = [("AO", self._institution(request))]
        fields += [("AA", request.get("AA")), ("AB", barcode)]
        reader, why = self._reader(request)
        ok, title, due = False, "", ""
        if reader is not None:
            try:
                outcome = desk.check_out(self.school, reader, barcode, by=None)  # type: ignore[arg-type]
                ok, title, due, why = (
                    True,
                    outcome.loan.copy.record.title,
                    _due(outcome.loan.due_on),
                    outcome.message,
                )
            except CirculationError as error:
                why = str(error)
        fields += [("AJ", title), ("AH", due), ("AF", why)]
        fixed = f"{int(ok)}NU{_flag(ok)}{self._now()}"
        return format_message("12", fixed, fields, request.sequence)

    def _m09(self, request: Request) -> str:
        barcode = request.get("AB").strip()
        assert self.school is not None
        ok, title, why, alert, location = False, "", "", False, ""
        try:
            outcome = desk.check_in(self.school, barcode, by=None)
            copy = outcome.loan.copy
            ok, title, why = True, copy.record.title, outcome.message
            location = copy.location
            alert = outcome.hold is not None  # set it aside for a hold: the kiosk's alert bin
        except CirculationError as error:
            why = str(error)
        fields = [("AO", self._institution(request)), ("AB", barcode), ("AQ", location)]
        fields += [("AJ", title), ("AF", why)]
        if alert:
            fields.append(("CV", "02"))  # hold for this library
        fixed = f"{int(ok)}{_flag(ok)}U{_flag(alert)}{self._now()}"
        return format_message("10", fixed, fields, request.sequence)

    def _m17(self, request: Request) -> str:
        assert self.school is not None
        barcode = request.get("AB").strip()
        rows = Copy.objects.select_related("record").filter(school=self.school)
        copy = rows.scanned(barcode)
        fields: list[tuple[str, str]] = [("AB", barcode)]
        status = "01"
        if copy is None:
            fields += [
                ("AJ", ""),
                ("AF", _("No copy of the school has the barcode %(code)s.") % {"code": barcode}),
            ]
        else:
            loan = Loan.objects.filter(copy=copy, returned_at__isnull=True).first()
            aside = holds.held_for(copy)
            status = {
                CopyStatus.LOST: "12", CopyStatus.WITHDRAWN: "01", CopyStatus.IN_REPAIR: "06",
                CopyStatus.DAMAGED: "06",
            }.get(CopyStatus(copy.status), "04" if loan else ("08" if aside else "03"))  # fmt: skip
            fields.append(("AJ", copy.record.title))
            if loan is not None:
                fields.append(("AH", _due(loan.due_on)))
            if copy.location:
                fields.append(("AQ", copy.location))
        return format_message("18", f"{status}0001{self._now()}", fields, request.sequence)

    def _m29(self, request: Request) -> str:
        reader, why = self._reader(request)
        barcode = request.get("AB").strip()
        ok, title, due = False, "", ""
        if reader is not None:
            mine = desk.open_loans(reader)
            loan = next((held for held in mine if held.copy.barcode == barcode), None)
            if loan is None:
                why = _("%(code)s is not on loan to this reader.") % {"code": barcode}
            else:
                try:
                    renewed = desk.renew(loan, by=None)
                    ok, title, due = True, loan.copy.record.title, _due(renewed.due_on)
                    why = _("Renewed: %(title)s, due on %(due)s.") % {
                        "title": title, "due": f"{renewed.due_on:%d/%m/%Y}"
                    }  # fmt: skip
                except CirculationError as error:
                    title, why = loan.copy.record.title, str(error)
        fields = [("AO", self._institution(request)), ("AA", request.get("AA")), ("AB", barcode)]
        fields += [("AJ", title), ("AH", due), ("AF", why)]
        fixed = f"{int(ok)}{_flag(ok)}U{_flag(ok)}{self._now()}"
        return format_message("30", fixed, fields, request.sequence)

    def _m35(self, request: Request) -> str:
        fields = [("AO", self._institution(request)), ("AA", request.get("AA"))]
        return format_message("36", YES + self._now(), fields, request.sequence)

    def _m65(self, request: Request) -> str:
        reader, why = self._reader(request)
        done, refused = (0, [why]) if reader is None else desk.renew_all(reader, by=None)
        fields = [("AO", self._institution(request)), ("AF", " ".join(m for m in refused if m))]
        fixed = f"{int(reader is not None)}{done:04d}{len(refused):04d}{self._now()}"
        return format_message("66", fixed, fields, request.sequence)


def answer_line(session: Session, line: str) -> str:
    from thuvien.circulation.sip2.protocol import MessageError, parse

    try:
        request = parse(line)
    except MessageError:
        return format_message("96", "", [], None)
    return session.answer(request)


__all__ = ["Session", "answer_line"]
