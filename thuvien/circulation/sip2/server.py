"""The SIP2 TCP server: one thread a connection (a kiosk keeps its connection open all day),
messages ended by a carriage return (a line feed is accepted too). Run by
`manage.py sip2_server --port 6001`; `make demo` starts it beside the web server."""

from __future__ import annotations

import logging
import socketserver
from typing import Any

from django.db import connections

from thuvien.circulation.sip2.acs import Session, answer_line
from thuvien.circulation.sip2.protocol import ENCODING

log = logging.getLogger(__name__)
MAX_MESSAGE = 16_384  # a longer line is not SIP2: the connection is closed


class Handler(socketserver.StreamRequestHandler):
    timeout = 60 * 60 * 12  # a kiosk idles between patrons; a dead one is dropped after 12 h

    def handle(self) -> None:
        session = Session()
        buffer = b""
        try:
            while True:
                chunk = self.request.recv(4096)
                if not chunk:
                    return
                buffer += chunk
                if len(buffer) > MAX_MESSAGE:
                    return
                while True:
                    cut = min((i for i in (buffer.find(b"\r"), buffer.find(b"\n")) if i >= 0),
                              default=-1)  # fmt: skip
                    if cut < 0:
                        break
                    line, buffer = buffer[:cut], buffer[cut + 1 :]
                    text = line.decode(ENCODING, errors="replace").strip()
                    if not text:
                        continue
                    reply = answer_line(session, text)
                    self.request.sendall(reply.encode(ENCODING))
        except (ConnectionError, TimeoutError, OSError) as error:
            log.info("SIP2 connection ended: %s", error)
        finally:
            connections.close_all()


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve(host: str, port: int, **kwargs: Any) -> Server:
    return Server((host, port), Handler, **kwargs)
