"""A framework as a file, to share corrections between provinces: YAML or XLSX, both ways.

The YAML file (format "thuvien-standards-framework/1"):

    format: thuvien-standards-framework/1
    framework: {code, name, title, issued_on, effective_on, historical}
    sources: {key: address}
    levels:   [{code, name, name_en, rule, verified, source}]        # lowest first
    groups:   [{code, name, name_en}]
    criteria: [{code, group, level, article, tiers, name, name_en, judgement,
                metric, operator, threshold, per, unit, verified, source, note}]

The XLSX workbook has one sheet per list ("Khung", "Mức", "Nhóm", "Tiêu chí", "Nguồn") with the
same names as column headers. Reading either gives a `FrameworkData`, checked whole: every
problem is reported with where it is (the criterion's code or the sheet's row) and what to fix,
in the reader's language, and nothing is written unless the file is right (`services`).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from zipfile import BadZipFile

import yaml
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from thuvien.core.cells import append_row, new_workbook, workbook_bytes
from thuvien.standards.models import FrameworkVersion, Judgement, Operator, Per, Tier

FORMAT = "thuvien-standards-framework/1"
MAX_BYTES = 5 * 1024 * 1024
SHEETS = {"framework": "Khung", "levels": "Mức", "groups": "Nhóm", "criteria": "Tiêu chí"}
SOURCES_SHEET = "Nguồn"
LEVEL_COLUMNS = ("code", "name", "name_en", "rule", "verified", "source")
GROUP_COLUMNS = ("code", "name", "name_en")
CRITERION_COLUMNS = (
    "code", "group", "level", "article", "tiers", "name", "name_en", "judgement", "metric",
    "operator", "threshold", "per", "unit", "verified", "source", "note", "note_en",
)  # fmt: skip
FRAMEWORK_FIELDS = ("code", "name", "title", "issued_on", "effective_on", "historical")


class FrameworkFileError(Exception):
    """The file cannot be read as a framework; `problems` says each thing to fix."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class LevelData:
    code: str
    name: str
    name_en: str = ""
    rule: str = ""
    verified: bool = True
    source: str = ""


@dataclass
class GroupData:
    code: str
    name: str
    name_en: str = ""


@dataclass
class CriterionData:
    code: str
    group: str
    level: str | None
    article: str
    tiers: list[str]
    name: str
    name_en: str
    judgement: str
    metric: str = ""
    operator: str = ""
    threshold: Decimal | None = None
    per: str = ""
    unit: str = ""
    verified: bool = True
    source: str = ""
    note: str = ""
    note_en: str = ""


@dataclass
class FrameworkData:
    code: str
    name: str
    title: str
    issued_on: dt.date | None
    effective_on: dt.date | None
    historical: bool
    sources: dict[str, str] = field(default_factory=dict)
    levels: list[LevelData] = field(default_factory=list)
    groups: list[GroupData] = field(default_factory=list)
    criteria: list[CriterionData] = field(default_factory=list)


# --- reading ------------------------------------------------------------------------------------


def read(content: bytes, filename: str) -> FrameworkData:
    """A framework from an uploaded .yaml/.yml or .xlsx file."""
    if len(content) > MAX_BYTES:
        raise FrameworkFileError([_("The file is larger than 5 MB: a framework file is smaller.")])
    name = filename.lower()
    if name.endswith((".yaml", ".yml")):
        return read_yaml(content)
    if name.endswith(".xlsx"):
        return read_xlsx(content)
    raise FrameworkFileError(
        [_("Choose a framework file ending in .yaml, .yml or .xlsx (this one is “%(name)s”).")
         % {"name": filename}]
    )  # fmt: skip


def read_yaml(content: bytes) -> FrameworkData:
    try:
        document = yaml.safe_load(content.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise FrameworkFileError([_("The file is not UTF-8 text: save it as UTF-8.")]) from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = _(" (line %(line)d)") % {"line": mark.line + 1} if mark else ""
        raise FrameworkFileError(
            [_("The file is not valid YAML%(where)s.") % {"where": where}]
        ) from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise FrameworkFileError(
            [_("This is not a ThuVien framework file: its first line must be “format: %(format)s”.")
             % {"format": FORMAT}]
        )  # fmt: skip
    framework = document.get("framework")
    if not isinstance(framework, dict):
        raise FrameworkFileError([_("The file has no “framework:” section.")])
    sources = document.get("sources") or {}
    lists = {key: document.get(key) or [] for key in ("levels", "groups", "criteria")}
    problems = [
        _("“%(section)s” must be a list.") % {"section": key}
        for key, rows in lists.items()
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows)
    ]
    if not isinstance(sources, dict):
        problems.append(_("“sources” must be a list of key: address pairs."))
    if problems:
        raise FrameworkFileError(problems)
    return checked_data(framework, sources, lists["levels"], lists["groups"], lists["criteria"])


def read_xlsx(content: bytes) -> FrameworkData:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError, BadZipFile) as error:
        raise FrameworkFileError([_("The file is not an Excel workbook (.xlsx).")]) from error
    missing = [sheet for sheet in SHEETS.values() if sheet not in book.sheetnames]
    if missing:
        raise FrameworkFileError(
            [_("The workbook has no sheet “%(sheet)s”.") % {"sheet": sheet} for sheet in missing]
        )

    def rows(sheet: str) -> list[dict[str, Any]]:
        values = list(book[sheet].iter_rows(values_only=True))
        if not values:
            return []
        header = [str(cell).strip() if cell is not None else "" for cell in values[0]]
        found = []
        for number, row in enumerate(values[1:], start=2):
            if all(cell in (None, "") for cell in row):
                continue
            found.append({"_row": number, **dict(zip(header, row, strict=False))})
        return found

    framework_rows = {
        str(row.get("field", "")).strip(): row.get("value") for row in rows(SHEETS["framework"])
    }
    sources = {}
    if SOURCES_SHEET in book.sheetnames:
        sources = {str(r["key"]): str(r.get("address") or "") for r in rows(SOURCES_SHEET)}
    criteria = rows(SHEETS["criteria"])
    for row in criteria:
        tiers = row.get("tiers")
        row["tiers"] = [t.strip() for t in str(tiers).split(",") if t.strip()] if tiers else []
    return checked_data(
        framework_rows, sources, rows(SHEETS["levels"]), rows(SHEETS["groups"]), criteria
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _flag(value: Any, default: bool = True) -> bool | None:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"true", "yes", "1", "có", "x", "đúng"}:
        return True
    if text in {"false", "no", "0", "không", "sai"}:
        return False
    return None


def _date(value: Any) -> dt.date | str | None:
    """A date, None when empty, or the text that is not a date."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return text


def checked_data(
    framework: dict[str, Any],
    sources: dict[Any, Any],
    levels: list[dict[str, Any]],
    groups: list[dict[str, Any]],
    criteria: list[dict[str, Any]],
) -> FrameworkData:
    problems: list[str] = []

    def where(row: dict[str, Any], kind: str, number: int) -> str:
        if "_row" in row:
            return _("%(sheet)s, row %(row)d") % {"sheet": kind, "row": row["_row"]}
        code = _text(row.get("code"))
        return (
            _("%(kind)s “%(code)s”") % {"kind": kind, "code": code}
            if code
            else _("%(kind)s no. %(number)d") % {"kind": kind, "number": number}
        )

    code, name = _text(framework.get("code")), _text(framework.get("name"))
    if not code:
        problems.append(_("The framework has no code (for example “tt16-2022”)."))
    problems += _too_long(framework, _("The framework"), {"code": 40, "name": 200, "title": 500})
    if not name:
        problems.append(_("The framework has no name (for example “Thông tư 16/2022/TT-BGDĐT”)."))
    dates = {}
    for key, label in (("issued_on", _("issue date")), ("effective_on", _("date in force"))):
        value = _date(framework.get(key))
        if isinstance(value, str):
            problems.append(
                _("The framework's %(what)s “%(value)s” is not a date: write it as 2022-11-22.")
                % {"what": label, "value": value}
            )
            value = None
        dates[key] = value
    historical = _flag(framework.get("historical"), default=False)
    data = FrameworkData(
        code=code,
        name=name,
        title=_text(framework.get("title")),
        issued_on=dates["issued_on"],
        effective_on=dates["effective_on"],
        historical=bool(historical),
        sources={_text(key): _text(value) for key, value in sources.items()},
    )

    level_label, group_label, criterion_label = _("Level"), _("Group"), _("Criterion")
    for number, row in enumerate(levels, start=1):
        level = LevelData(
            code=_text(row.get("code")),
            name=_text(row.get("name")),
            name_en=_text(row.get("name_en")),
            rule=_text(row.get("rule")),
            verified=bool(_flag(row.get("verified"))),
            source=_text(row.get("source")),
        )
        problems += _too_long(row, where(row, level_label, number), {"code": 40, "source": 200})
        if not level.code or not level.name:
            problems.append(
                _("%(where)s: a level needs a code and a name.")
                % {"where": where(row, level_label, number)}
            )
        data.levels.append(level)
    for number, row in enumerate(groups, start=1):
        group = GroupData(_text(row.get("code")), _text(row.get("name")), _text(row.get("name_en")))
        problems += _too_long(row, where(row, group_label, number), {"code": 40})
        if not group.code or not group.name:
            problems.append(
                _("%(where)s: a group needs a code and a name.")
                % {"where": where(row, group_label, number)}
            )
        data.groups.append(group)
    problems += _duplicates([level.code for level in data.levels], level_label)
    problems += _duplicates([group.code for group in data.groups], group_label)
    if not data.levels:
        problems.append(_("The framework has no level: list at least one under “levels”."))
    level_codes = {level.code for level in data.levels}
    group_codes = {group.code for group in data.groups}
    tiers_known = set(Tier.values)
    for number, row in enumerate(criteria, start=1):
        at = where(row, criterion_label, number)
        criterion, found = _criterion(row, at, level_codes, group_codes, tiers_known)
        problems += found
        if criterion is not None:
            data.criteria.append(criterion)
    problems += _duplicates([criterion.code for criterion in data.criteria], criterion_label)
    if problems:
        raise FrameworkFileError(problems)
    return data


# The bounded fields of a framework file and their lengths (the database's columns).
LIMITS = {"code": 60, "article": 40, "metric": 60, "unit": 40, "source": 200}


def _too_long(row: dict[str, Any], at: str, limits: dict[str, int]) -> list[str]:
    return [
        _("%(where)s: “%(field)s” is longer than %(limit)d characters: shorten it.")
        % {"where": at, "field": name, "limit": limit}
        for name, limit in limits.items()
        if len(_text(row.get(name))) > limit
    ]


def _duplicates(codes: list[str], kind: str) -> list[str]:
    seen: set[str] = set()
    twice = []
    for code in codes:
        if code and code in seen and code not in twice:
            twice.append(code)
        seen.add(code)
    return [
        _("%(kind)s “%(code)s” appears twice: each code once.") % {"kind": kind, "code": code}
        for code in twice
    ]


def _criterion(
    row: dict[str, Any],
    at: str,
    level_codes: set[str],
    group_codes: set[str],
    tiers_known: set[str],
) -> tuple[CriterionData | None, list[str]]:
    problems: list[str] = _too_long(row, at, LIMITS)
    code, name = _text(row.get("code")), _text(row.get("name"))
    if not code or not name:
        problems.append(_("%(where)s: a criterion needs a code and a name.") % {"where": at})
    group = _text(row.get("group"))
    if group not in group_codes:
        problems.append(
            _("%(where)s: the group “%(group)s” is not one of the framework's groups (%(known)s).")
            % {"where": at, "group": group, "known": ", ".join(sorted(group_codes))}
        )
    level = _text(row.get("level")) or None
    if level is not None and level not in level_codes:
        problems.append(
            _("%(where)s: the level “%(level)s” is not one of the framework's levels (%(known)s).")
            % {"where": at, "level": level, "known": ", ".join(sorted(level_codes))}
        )
    tiers = row.get("tiers") or []
    if isinstance(tiers, str):
        tiers = [tier.strip() for tier in tiers.split(",") if tier.strip()]
    tiers = [_text(tier) for tier in tiers]
    unknown = [tier for tier in tiers if tier not in tiers_known]
    if unknown:
        problems.append(
            _("%(where)s: unknown tier “%(tier)s”; the tiers are %(known)s.")
            % {"where": at, "tier": ", ".join(unknown), "known": ", ".join(Tier.values)}
        )
    if not tiers:
        problems.append(_("%(where)s: say which tiers the criterion applies to.") % {"where": at})
    judgement = _text(row.get("judgement")) or Judgement.YES_NO
    if judgement not in Judgement.values:
        problems.append(
            _("%(where)s: “%(value)s” is not a way of judging; use %(known)s.")
            % {"where": at, "value": judgement, "known": ", ".join(Judgement.values)}
        )
    threshold: Decimal | None = None
    raw = row.get("threshold")
    if raw not in (None, ""):
        try:
            threshold = Decimal(str(raw).strip().replace(",", "."))
            if not threshold.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            problems.append(
                _("%(where)s: the threshold “%(value)s” is not a number.")
                % {"where": at, "value": raw}
            )
    operator, per = _text(row.get("operator")), _text(row.get("per"))
    if judgement == Judgement.THRESHOLD:
        if threshold is None and raw in (None, ""):
            problems.append(
                _("%(where)s: a criterion judged by a threshold needs the threshold number.")
                % {"where": at}
            )
        if operator not in Operator.values:
            problems.append(
                _("%(where)s: the comparison “%(value)s” is not one of %(known)s.")
                % {"where": at, "value": operator, "known": ", ".join(Operator.values)}
            )
        if per not in Per.values:
            problems.append(
                _("%(where)s: a threshold is counted per %(known)s, not “%(value)s”.")
                % {"where": at, "value": per, "known": ", ".join(Per.values)}
            )
    verified = _flag(row.get("verified"))
    if verified is None:
        problems.append(_("%(where)s: “verified” must be true or false.") % {"where": at})
    if problems:
        return None, problems
    return (
        CriterionData(
            code=code,
            group=group,
            level=level,
            article=_text(row.get("article")),
            tiers=tiers,
            name=name,
            name_en=_text(row.get("name_en")),
            judgement=judgement,
            metric=_text(row.get("metric")),
            operator=operator if judgement == Judgement.THRESHOLD else "",
            threshold=threshold if judgement == Judgement.THRESHOLD else None,
            per=per if judgement == Judgement.THRESHOLD else "",
            unit=_text(row.get("unit")),
            verified=bool(verified),
            source=_text(row.get("source")),
            note=_text(row.get("note")),
            note_en=_text(row.get("note_en")),
        ),
        [],
    )


# --- writing ------------------------------------------------------------------------------------


def data_of(version: FrameworkVersion) -> FrameworkData:
    framework = version.framework
    levels = list(version.levels.all())
    groups = list(version.groups.all())
    level_codes = {level.pk: level.code for level in levels}
    group_codes = {group.pk: group.code for group in groups}
    return FrameworkData(
        code=framework.code,
        name=framework.name,
        title=framework.title,
        issued_on=framework.issued_on,
        effective_on=framework.effective_on,
        historical=framework.historical,
        sources=dict(version.sources),
        levels=[
            LevelData(lv.code, lv.name, lv.name_en, lv.rule, lv.verified, lv.source)
            for lv in levels
        ],
        groups=[GroupData(g.code, g.name, g.name_en) for g in groups],
        criteria=[
            CriterionData(
                code=c.code,
                group=group_codes[c.group_id],
                level=level_codes.get(c.level_id) if c.level_id else None,
                article=c.article,
                tiers=list(c.tiers),
                name=c.name,
                name_en=c.name_en,
                judgement=c.judgement,
                metric=c.metric,
                operator=c.operator,
                threshold=c.threshold,
                per=c.per,
                unit=c.unit_label,
                verified=c.verified,
                source=c.source,
                note=c.note,
                note_en=c.note_en,
            )
            for c in version.criteria.all()
        ],
    )


def _threshold_out(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def write_yaml(data: FrameworkData) -> bytes:
    def criterion(c: CriterionData) -> dict[str, Any]:
        row = asdict(c)
        row["threshold"] = _threshold_out(c.threshold)
        if c.judgement != Judgement.THRESHOLD:
            for key in ("operator", "threshold", "per"):
                row.pop(key)
        return row

    document = {
        "format": FORMAT,
        "framework": {
            "code": data.code,
            "name": data.name,
            "title": data.title,
            "issued_on": data.issued_on.isoformat() if data.issued_on else None,
            "effective_on": data.effective_on.isoformat() if data.effective_on else None,
            "historical": data.historical,
        },
        "sources": data.sources,
        "levels": [asdict(level) for level in data.levels],
        "groups": [asdict(group) for group in data.groups],
        "criteria": [criterion(c) for c in data.criteria],
    }
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    return text.encode("utf-8")


def write_xlsx(data: FrameworkData) -> bytes:
    book = new_workbook()
    sheet = book.create_sheet(SHEETS["framework"])
    append_row(sheet, ["field", "value"])
    for key in FRAMEWORK_FIELDS:
        value = getattr(data, key)
        append_row(sheet, [key, value.isoformat() if isinstance(value, dt.date) else value])
    for key, columns, rows in (
        ("levels", LEVEL_COLUMNS, [asdict(level) for level in data.levels]),
        ("groups", GROUP_COLUMNS, [asdict(group) for group in data.groups]),
    ):
        sheet = book.create_sheet(SHEETS[key])
        append_row(sheet, columns)
        for row in rows:
            append_row(sheet, [row[column] for column in columns])
    sheet = book.create_sheet(SHEETS["criteria"])
    append_row(sheet, CRITERION_COLUMNS)
    for c in data.criteria:
        fields = {
            **asdict(c),
            "tiers": ", ".join(c.tiers),
            "threshold": _threshold_out(c.threshold),
        }
        append_row(sheet, [fields[column] for column in CRITERION_COLUMNS])
    sheet = book.create_sheet(SOURCES_SHEET)
    append_row(sheet, ["key", "address"])
    for key, address in data.sources.items():
        append_row(sheet, [key, address])
    return workbook_bytes(book)
