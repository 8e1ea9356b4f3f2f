"""E-mail the platform sends on its own: marked as automatic, every link built from SITE_URL."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core import mail

# RFC 3834: an automatic message, so that mail servers and autoresponders do not answer it
# ("out of office" replies) and mail clients may file it as such.
AUTOMATIC_HEADERS = {"Auto-Submitted": "auto-generated"}


def site_url() -> str:
    """The public address of the site, without a trailing slash (never the request's host)."""
    return str(getattr(settings, "SITE_URL", "http://127.0.0.1:8000")).rstrip("/")


def absolute(path: str) -> str:
    """`path` ("/training/…") as an absolute link on SITE_URL; an absolute URL stays as it is."""
    return f"{site_url()}{path}" if path.startswith("/") else path


def automatic_email(subject: str, body: str, to: Sequence[str]) -> mail.EmailMessage:
    """One plain-text message from the platform, on one line of subject, marked automatic."""
    return mail.EmailMessage(
        " ".join(subject.split()), body, to=list(to), headers=dict(AUTOMATIC_HEADERS)
    )
