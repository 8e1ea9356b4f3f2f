"""300 people check in by QR within a minute, over real HTTP on 127.0.0.1.

An event of the department with one session running now and 300 registered librarians of the
seeded province (each with a login session written straight into the session table: no 300
logins). A real server — gunicorn, 2 sync workers, this module's `application` (Django's WSGI
handler wrapped to add a `Server-Timing` header) — against the bench database. 300 clients on
threads arrive spread over `WINDOW_S` seconds: each opens the check-in page (GET: the CSRF token,
untimed) and presses "I am here" (POST, timed); `DOUBLE_TAPS` of them post twice at the same
instant, as a double tap on a slow phone does. Then every person must be recorded exactly once.

Results: the p95 of the POSTs' server time (from `Server-Timing`: the worker's time from receiving
the request to starting the response — middleware, session, view, queries, template) and the
number of people not recorded exactly once; the note gives the client latency on loopback too
(an upper bound: it adds gunicorn's queue and the socket).
Run alone: .venv/bin/python bench/run.py (every benchmark), this one is `bench_events_checkin`.
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from harness import Context, Result, percentile

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
PEOPLE = 300
WINDOW_S = 30.0  # arrivals spread evenly over half a minute: "within one minute", and then some
THREADS = 40
DOUBLE_TAPS = 30
TARGET_MS = 50
TITLE = "Bench: check-in of 300 people"
PREFIX = "bench_checkin_"


# --- The server side: Django's WSGI application, timed ---------------------------------------

_django_app: Any = None


def application(environ: dict[str, Any], start_response: Any) -> Any:
    """Django's WSGI handler with a `Server-Timing: app;dur=<ms>` header (gunicorn loads this)."""
    global _django_app
    if _django_app is None:
        from django.core.wsgi import get_wsgi_application

        _django_app = get_wsgi_application()
    started = time.perf_counter()

    def timed(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        headers.append(("Server-Timing", f"app;dur={(time.perf_counter() - started) * 1000:.2f}"))
        return start_response(status, headers, exc_info)

    return _django_app(environ, timed)


# --- Seeding and cleaning ----------------------------------------------------------------------


def _clean() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session

    from thuvien.events.models import CheckIn, Event, EventSession, Registration
    from thuvien.organisations.models import Membership

    events = Event.objects.filter(title=TITLE)
    CheckIn.objects.filter(session__event__in=events).delete()
    Registration.objects.filter(event__in=events).delete()
    EventSession.objects.filter(event__in=events).delete()
    events.delete()
    users = get_user_model().objects.filter(username__startswith=PREFIX)
    Membership.objects.filter(user__in=users).delete()
    user_ids = {str(pk) for pk in users.values_list("pk", flat=True)}
    stale = [
        s.pk for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") in user_ids
    ]
    Session.objects.filter(pk__in=stale).delete()
    users.delete()


def _seed() -> tuple[Any, list[str]]:
    """The event, its session running now, 300 registered people; their session cookies."""
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from thuvien.events.models import Event, EventSession, EventStatus, Registration
    from thuvien.organisations.models import Membership, Role, Unit, UnitKind

    now = timezone.now()
    department = Unit.objects.get(kind=UnitKind.DEPARTMENT, parent=None, is_active=True)
    schools = list(Unit.objects.schools().order_by("pk")[:PEOPLE])
    event = Event.objects.create(
        organiser=department, title=TITLE, starts_on=timezone.localdate(now),
        ends_on=timezone.localdate(now + dt.timedelta(hours=2)), venue="Hội trường Sở",
        target=department, status=EventStatus.OPEN,
    )  # fmt: skip
    session = EventSession.objects.create(
        event=event, title="Khai mạc", starts_at=now - dt.timedelta(minutes=10),
        ends_at=now + dt.timedelta(hours=2),
    )  # fmt: skip
    password = make_password("bench-check-in-2026")  # hashed once: 300 hashes would take minutes
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"{PREFIX}{n}", full_name=f"Thủ thư {n}", password=password)
        for n in range(PEOPLE)
    )
    pairs = [(user, schools[n % len(schools)]) for n, user in enumerate(users)]
    Membership.objects.bulk_create(
        Membership(user=user, unit=school, role=Role.LIBRARIAN) for user, school in pairs
    )
    Registration.objects.bulk_create(
        Registration(event=event, user=user, school=school, role=Role.LIBRARIAN,
                     status="registered", registered_at=now)
        for user, school in pairs
    )  # fmt: skip
    cookies = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "thuvien.accounts.backends.UsernameOrEmailBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        cookies.append(store.session_key or "")
    return session, cookies


# --- The server process ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start_server(port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "thuvien.settings", "DEBUG": "0"}
    command = [
        sys.executable, "-m", "gunicorn", "bench_events_checkin:application",
        "--pythonpath", f"{ROOT},{BENCH_DIR}", "--chdir", str(ROOT),
        "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603 — our own server
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped with status {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start within 30 s")


# --- The clients ----------------------------------------------------------------------------


class Client:
    """One phone: its login cookie, the CSRF cookie and token of the page it opened."""

    TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

    def __init__(self, port: int, path: str, session_key: str) -> None:
        self.port, self.path = port, path
        self.cookies = {"sessionid": session_key}
        self.token = ""

    def _request(self, method: str, body: str = "") -> tuple[int, str, Any]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, self.path, body=body or None, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        connection.close()
        return response.status, text, response.msg

    def open_page(self) -> None:
        status, text, msg = self._request("GET")
        if status != 200:
            raise AssertionError(f"GET {self.path} answered {status}")
        for header in msg.get_all("Set-Cookie") or []:
            self.cookies.update({k: m.value for k, m in SimpleCookie(header).items()})
        found = self.TOKEN.search(text)
        if found is None:
            raise AssertionError(f"GET {self.path}: no CSRF token (already checked in?)")
        self.token = found.group(1)

    def press(self) -> tuple[int, float, float]:
        """POST "I am here": (status, client ms, server ms)."""
        started = time.perf_counter()
        status, _text, msg = self._request("POST", urlencode({"csrfmiddlewaretoken": self.token}))
        client_ms = (time.perf_counter() - started) * 1000
        timing = re.search(r"dur=([\d.]+)", msg.get("Server-Timing", ""))
        return status, client_ms, float(timing.group(1)) if timing else float("nan")


def _arrive(client: Client, at: float, double: bool) -> list[tuple[int, float, float]]:
    time.sleep(max(0.0, at - time.monotonic()))
    client.open_page()
    if not double:
        return [client.press()]
    answers: list[tuple[int, float, float]] = []
    taps = [threading.Thread(target=lambda: answers.append(client.press())) for _ in range(2)]
    for tap in taps:
        tap.start()
    for tap in taps:
        tap.join()
    return answers


def _warm_up(client: Client) -> None:
    """Untimed GETs, a few at once, so both workers have loaded URLs, templates, translations."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        for future in [pool.submit(client.open_page) for _ in range(12)]:
            future.result()


def run(ctx: Context) -> list[Result]:
    from django.db.models import Count
    from django.urls import reverse

    from thuvien.events.models import CheckIn

    _clean()
    session, cookies = _seed()
    path = reverse("events:checkin", args=[session.checkin_code])
    port = _free_port()
    server = _start_server(port)
    try:
        clients = [Client(port, path, key) for key in cookies]
        _warm_up(clients[0])
        start = time.monotonic() + 1
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            futures = [
                pool.submit(
                    _arrive, c, start + n * WINDOW_S / PEOPLE, n % (PEOPLE // DOUBLE_TAPS) == 0
                )
                for n, c in enumerate(clients)
            ]
            answers = [answer for future in futures for answer in future.result()]
        elapsed = time.monotonic() - start
    finally:
        server.terminate()
        server.wait(timeout=30)
    rows = CheckIn.objects.filter(session=session)
    per_person = rows.values("registration").annotate(n=Count("pk"))
    once = sum(1 for row in per_person if row["n"] == 1)
    wrong = PEOPLE - once + sum(1 for status, _c, _s in answers if status != 200)
    server_ms = [s for _status, _c, s in answers]
    client_ms = [c for _status, c, _s in answers]
    recorded = rows.count()
    _clean()
    note = (
        f"{len(answers)} POSTs ({DOUBLE_TAPS} double taps) from {THREADS} threads over "
        f"{elapsed:.1f} s to gunicorn -w 2 on 127.0.0.1; server time from Server-Timing, "
        f"p50 {percentile(server_ms, 50):.1f} ms; client latency p50 "
        f"{percentile(client_ms, 50):.1f} ms, p95 {percentile(client_ms, 95):.1f} ms"
    )
    return [
        Result("events_checkin_300", round(percentile(server_ms, 95), 1), "ms p95", TARGET_MS,
               note=note),
        Result("events_checkin_recorded_once", wrong, "people wrong", 0,
               note=f"{recorded} check-ins for {PEOPLE} people; non-200 answers counted"),
    ]  # fmt: skip
