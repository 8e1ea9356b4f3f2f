"""Running the real database task queue in a test, as `manage.py db_worker` does on a server.

Tests that use it need the `transactional_db` fixture: the worker opens its own transactions and
checks its connection the way it does between tasks, which a test wrapped in one transaction
does not survive."""

from __future__ import annotations

import io
import logging
import signal

from django.core.management import call_command

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
_SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
_LOGGERS = ["django_tasks", "django_tasks_db"]


def run_worker() -> str:
    """Run every queued task once, then return what the worker printed."""
    handlers = {number: signal.getsignal(number) for number in _SIGNALS}
    loggers = [logging.getLogger(name) for name in _LOGGERS]
    saved = [(logger.level, list(logger.handlers)) for logger in loggers]
    out = io.StringIO()
    try:
        call_command(
            "db_worker",
            batch=True,
            interval=0,
            startup_delay=False,
            reload=False,
            verbosity=1,
            stdout=out,
        )
    finally:
        # The worker installs its own signal handlers and log handlers: give pytest its own back.
        for number, handler in handlers.items():
            signal.signal(number, handler)
        for logger, (level, log_handlers) in zip(loggers, saved, strict=True):
            logger.setLevel(level)
            logger.handlers[:] = log_handlers
    return out.getvalue()
