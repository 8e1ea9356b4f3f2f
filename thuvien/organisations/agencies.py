"""The names an official document prints from the unit tree: the governing body above an agency's
name (tên cơ quan, tổ chức chủ quản, Nghị định 30/2020), the agency's name under it, the
abbreviation in its document symbols ("BC-PGDĐT"), the place of issue, and its signers.

The governing body is the unit's own field (`Unit.governing_body`). When it is empty it is read
from the names, which follow the official patterns: a commune's culture–society office answers to
the commune's People's Committee, a district office to the district's, the department to the
province's ("Phòng Văn hóa – Xã hội phường An Hội" → "UBND PHƯỜNG AN HỘI"); a school's is its
supervising unit. A partner (a university library, a provincial library) is not under the Sở:
without its own field it prints none rather than a wrong one.
"""

from __future__ import annotations

import datetime as dt
import re

from thuvien.core.folding import fold
from thuvien.documents import Authority as SigningAuthority
from thuvien.documents import Signature
from thuvien.organisations.models import SIGNS_FOR, Authority, Signer, Unit, UnitKind

# Administrative levels, longest first so that "thị xã" wins over "xã".
_LEVELS = ("thành phố", "thị trấn", "thị xã", "đặc khu", "huyện", "quận", "phường", "tỉnh", "xã")
# Case matters: "Xã hội" (society) is not "xã" (a commune).
_LEVEL = re.compile(r"\b(" + "|".join(_LEVELS) + r")\s+(.+)$")
# "Sở Giáo dục và Đào tạo Bến Tre" (no "tỉnh"): the province is what follows "Đào tạo".
_DEPARTMENT = re.compile(r"Đào tạo\s+(?:tỉnh\s+|thành phố\s+)?(.+)$", re.IGNORECASE)
# Words an abbreviation skips: "Sở Giáo dục và Đào tạo" → "SGDĐT".
_LINKING = {"và", "&", "–", "-", "—", "các"}


def locality(unit: Unit) -> tuple[str, str] | None:
    """(level, name) of the locality an office or department serves, e.g. ("phường", "An Hội")."""
    found = _LEVEL.search(unit.name)
    if found:
        return found.group(1).lower(), found.group(2).strip()
    if unit.kind == UnitKind.DEPARTMENT:
        province = _DEPARTMENT.search(unit.name)
        if province:
            return "tỉnh", province.group(1).strip()
    return None


def read_governing_body(unit: Unit, supervisor: Unit | None = None) -> str:
    """The governing body as the names tell it (what a unit without its own field prints)."""
    if unit.kind in (UnitKind.OFFICE, UnitKind.DEPARTMENT):
        where = locality(unit)
        return f"UBND {where[0]} {where[1]}".upper() if where else ""
    if unit.kind == UnitKind.PARTNER:
        return ""
    return supervisor.name.upper() if supervisor is not None else ""


def governing_agency(unit: Unit, supervisor: Unit | None = None) -> str:
    """The line above the agency's name, in capitals ("" when it cannot be told)."""
    if unit.governing_body.strip():
        return unit.governing_body.strip().upper()
    return read_governing_body(unit, supervisor)


def _name_without_locality(unit: Unit) -> str:
    """ "Sở Giáo dục và Đào tạo Bến Tre" → "Sở Giáo dục và Đào tạo"; "Phòng Văn hóa – Xã hội
    phường An Hội" → "Phòng Văn hóa – Xã hội"."""
    found = _LEVEL.search(unit.name)
    if found:
        return unit.name[: found.start()].strip()
    if unit.kind == UnitKind.DEPARTMENT and (province := _DEPARTMENT.search(unit.name)):
        return unit.name[: province.start(1)].strip().removesuffix("tỉnh").strip()
    return unit.name.strip()


def parent_agency(unit: Unit, on: dt.date) -> str:
    """The governing body above the agency's name: the unit's own (`Unit.governing_body`), else
    the People's Committee of the department's or office's locality; for a school, its
    supervising unit on `on` (else its parent); a partner without its own prints none."""
    from thuvien.organisations.services import supervisor_on  # services import the models too

    if unit.kind != UnitKind.SCHOOL:
        return governing_agency(unit)
    return governing_agency(unit, supervisor_on(unit, on) or unit.parent)


def issuing_agency(unit: Unit, governing: str) -> str:
    """The agency's name in capitals under its governing body, without repeating the locality
    the governing body already names ("UBND TỈNH BẾN TRE" / "SỞ GIÁO DỤC VÀ ĐÀO TẠO")."""
    where = locality(unit) if unit.is_supervising else None
    if where and governing and fold(governing).endswith(fold(where[1])):
        return _name_without_locality(unit).upper()
    return unit.name.strip().upper()


def _initials(words: list[str]) -> str:
    letters = []
    for word in words:
        if word.lower() in _LINKING or not word[0].isalpha():
            continue
        upper = word.replace("&", "")
        # "GD&ĐT" is already an abbreviation: keep it whole.
        letters.append(upper if len(upper) > 1 and upper.isupper() else word[0].upper())
    return "".join(letters)


def abbreviation(unit: Unit) -> str:
    """The unit's abbreviation in document symbols: its own field, else made from its name
    without the locality ("SGDĐT", "PGDĐT", "PVHXH")."""
    if unit.symbol.strip():
        return unit.symbol.strip().upper()
    return _initials(_name_without_locality(unit).split()) or "ĐV"


def place_of_issue(unit: Unit) -> str:
    """The place printed before the date: the locality's name ("An Hội", "Vĩnh Long")."""
    where = locality(unit)
    return where[1] if where else ""


def head_signer(unit: Unit) -> Signer | None:
    """Who signs the unit's documents by default: its head, else its first signer, else None."""
    signers = list(unit.signers.all())
    return next((s for s in signers if s.is_head), signers[0] if signers else None)


def signature_of(signer: Signer) -> Signature:
    """The signature block of `signer`: "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC" / the name."""
    if signer.authority == Authority.Q:
        return Signature(f"Q. {signer.position}".upper(), signer.full_name)
    if signer.authority in SIGNS_FOR:
        authority = SigningAuthority(signer.authority)
        return Signature(
            signer.position.upper(), signer.full_name, authority, signer.on_behalf_of.upper()
        )
    return Signature(signer.position.upper(), signer.full_name)


def unit_signature(unit: Unit, signer: Signer | None = None) -> Signature | None:
    """The signature of `signer` when it signs for `unit`, else of the unit's head signer;
    None when the unit keeps no signer (the caller then uses its own fallback)."""
    chosen = signer if signer is not None and signer.unit_id == unit.pk else head_signer(unit)
    return signature_of(chosen) if chosen is not None else None


def document_signature(
    unit: Unit,
    *,
    signer: Signer | None = None,
    position: str = "",
    name: str = "",
    default_position: str,
    default_name: str,
) -> Signature:
    """The signature a document of `unit` carries: a name typed when issuing it (with its
    position), else the chosen signer of the unit, else the unit's head signer; only a unit that
    keeps no signer prints `default_position` over `default_name`."""
    if name.strip():
        return Signature((position.strip() or default_position).upper(), name.strip())
    kept = unit_signature(unit, signer)
    if kept is not None:
        return kept
    return Signature((position.strip() or default_position).upper(), default_name)


# The plural of each level, in the order a letter lists them ("các xã, phường").
_LEVEL_ORDER = ("xã", "phường", "đặc khu", "thị trấn", "huyện", "quận", "thị xã", "thành phố")


def collective_names(units: list[Unit]) -> list[str]:
    """The offices as one letter names them together, from their names in the tree:
    "Phòng Văn hóa – Xã hội các xã, phường", "Phòng Giáo dục và Đào tạo các huyện, thành phố";
    a single office by its own name."""
    if len(units) == 1:
        return [units[0].name]
    groups: dict[str, set[str]] = {}
    for unit in units:
        where = locality(unit)
        groups.setdefault(_name_without_locality(unit), set()).add(where[0] if where else "")
    names = []
    for base, levels in groups.items():
        known = [level for level in _LEVEL_ORDER if level in levels]
        names.append(f"{base} các {', '.join(known)}" if known else base)
    return names
