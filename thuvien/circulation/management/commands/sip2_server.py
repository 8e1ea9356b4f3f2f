"""The SIP2 server for self-check kiosks and RFID stations (see circulation/sip2)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from thuvien.circulation.sip2.server import serve


class Command(BaseCommand):
    help = "Serve SIP2 2.00 for self-check kiosks (one account a kiosk: add_sip_account)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=6001)

    def handle(self, *args: Any, **options: Any) -> None:
        server = serve(options["host"], options["port"])
        self.stdout.write(f"SIP2 server on {options['host']}:{options['port']}")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
