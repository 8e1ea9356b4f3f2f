"""SIP2 messages: a two-digit code, fixed-length fields, then variable fields `XXvalue|`, then
optionally `AYn` (sequence) and `AZxxxx` (checksum), ended by a carriage return.

The checksum is the two's complement of the 16-bit sum of the message's bytes up to and
including "AZ", as four upper-case hex digits (the spec); a received message whose checksum is
wrong is answered with a request to resend (96). Text is UTF-8, which kiosks sold in Vietnam
use for Vietnamese titles and names."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

ENCODING = "utf-8"

# The fixed part of each request the server reads, as (name, length) after the code.
FIXED: dict[str, tuple[tuple[str, int], ...]] = {
    "93": (("uid_algorithm", 1), ("pwd_algorithm", 1)),
    "99": (("status_code", 1), ("max_print_width", 3), ("protocol_version", 4)),
    "23": (("language", 3), ("transaction_date", 18)),
    "63": (("language", 3), ("transaction_date", 18), ("summary", 10)),
    "11": (("renewal_policy", 1), ("no_block", 1), ("transaction_date", 18), ("nb_due_date", 18)),
    "09": (("no_block", 1), ("transaction_date", 18), ("return_date", 18)),
    "17": (("transaction_date", 18),),
    "29": (("third_party", 1), ("no_block", 1), ("transaction_date", 18), ("nb_due_date", 18)),
    "65": (("transaction_date", 18),),
    "35": (("transaction_date", 18),),
    "97": (),
}


def checksum(text: str) -> str:
    total = sum(text.encode(ENCODING))
    return f"{(-total) & 0xFFFF:04X}"


def timestamp(moment: dt.datetime) -> str:
    """SIP2's 18-character date: YYYYMMDDZZZZHHMMSS (four spaces for the local zone)."""
    return moment.strftime("%Y%m%d    %H%M%S")


@dataclass
class Request:
    code: str
    fixed: dict[str, str]
    fields: dict[str, str] = field(default_factory=dict)
    sequence: str | None = None
    checksum_ok: bool = True

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)


class MessageError(ValueError):
    """Not a SIP2 message the server knows."""


def parse(line: str) -> Request:
    line = line.rstrip("\r\n")
    if len(line) < 2 or not line[:2].isdigit():
        raise MessageError(line[:20])
    code = line[:2]
    if code not in FIXED:
        raise MessageError(code)
    checksum_ok = True
    at = line.rfind("AZ")
    if at != -1 and len(line) - at == 6:
        checksum_ok = checksum(line[: at + 2]) == line[at + 2 :].upper()
        line = line[:at]
    sequence = None
    if len(line) >= 3 and line[-3:-1] == "AY" and line[-1].isdigit():
        sequence, line = line[-1], line[:-3]
    position, fixed = 2, {}
    for name, length in FIXED[code]:
        fixed[name] = line[position : position + length]
        position += length
    fields: dict[str, str] = {}
    for part in line[position:].split("|"):
        if len(part) >= 2:
            fields.setdefault(part[:2], part[2:])
    return Request(code, fixed, fields, sequence, checksum_ok)


def format_message(
    code: str, fixed: str, fields: list[tuple[str, str]], sequence: str | None
) -> str:
    """A response: its code, its fixed part, its fields (values cut at 255 characters, no field
    separator inside), then AY (when the request had one) and AZ."""
    body = (
        code + fixed + "".join(f"{name}{value.replace('|', ' ')[:255]}|" for name, value in fields)
    )
    if sequence is not None:
        body += f"AY{sequence}"
    body += "AZ"
    return body + checksum(body) + "\r"
