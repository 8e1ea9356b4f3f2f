"""Write the frameworks ThuVien ships (thuvien/standards/frameworks/*.yaml) from the shared
reference data (../shared/reference/library_standards_tt16.yaml), in the app's own framework file
format (thuvien/standards/framework_files.py). Run again when the reference is corrected:

    .venv/bin/python scripts/convert_standards_reference.py [path/to/library_standards_tt16.yaml]

What the reference marks unverified stays unverified; what it does not give (a level, an article)
stays empty. A requirement with two numbers (copies per student and per teacher) becomes two
criteria; an equipment list or a rule ("apply the highest tier's standard") is judged yes / no
with the list or the rule in its note.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "reference" / "library_standards_tt16.yaml"
OUT = ROOT / "thuvien" / "standards" / "frameworks"

TIERS = {
    "mam_non": "preschool",
    "tieu_hoc": "primary",
    "thcs": "lower_secondary",
    "thpt": "upper_secondary",
    "nhieu_cap": "multi_tier",
}
PER = {"child": "student", "student": "student", "teacher": "teacher", "library": "library"}
UNITS = {"copy": "bản", "m2": "m²", "room": "phòng", "item": "", "set": "bộ"}
FORMAT = "thuvien-standards-framework/1"
# The reference states the level rules in English (Art. 25, LN-EVAL); in the legal language:
TT16_RULES = {
    "muc1": "Cả năm tiêu chuẩn (TNTT, CSVC, TBCD, HDTV, QLTV) đạt các tiêu chí Mức độ 1.",
    "muc2": "Cả năm tiêu chuẩn đạt các tiêu chí Mức độ 2 (mỗi tiêu chí Mức độ 2 gồm Mức độ 1 "
    "và các yêu cầu thêm).",
}


def _threshold(threshold: dict | None) -> dict:
    if not threshold:
        return {"judgement": "yes_no"}
    if "rule" in threshold:
        return {"judgement": "yes_no", "rule": threshold["rule"]}
    if threshold.get("op") == "has_all":
        return {"judgement": "yes_no", "items": threshold["value"]}
    return {
        "judgement": "threshold",
        "metric": threshold["metric"],
        "operator": threshold["op"],
        "threshold": threshold["value"],
        "per": PER[threshold["per"]],
        "unit": UNITS.get(threshold.get("unit", ""), threshold.get("unit", "")),
    }


def _note(criterion: dict, judged: dict) -> str:
    """The Vietnamese note: what the converter says of the threshold (the reference's own notes
    are English: `note_en`)."""
    parts = []
    if "items" in judged:
        parts.append("Đủ các thiết bị: " + ", ".join(judged.pop("items")) + ".")
    if "rule" in judged:
        rule = judged.pop("rule")
        parts.append(
            {
                "use_highest_tier": "Áp dụng tiêu chuẩn của cấp học cao nhất trong trường.",
                "each_tier": "Áp dụng tiêu chuẩn của từng cấp học trong trường.",
            }.get(rule, rule)
        )
    basis = (criterion.get("threshold") or {}).get("basis")
    if basis:  # "30%-50% of total children"
        share = basis.split(" of ")[0]
        parts.append(f"Cơ sở tính: {share} tổng số trẻ.")
    return " ".join(part for part in parts if part).strip()


def tt16(reference: dict) -> dict:
    tt = reference["tt16_2022"]
    criteria = []
    for criterion in tt["criteria"]:
        judged = _threshold(criterion["threshold"])
        note = _note(criterion, judged)
        row = {
            "code": criterion["id"],
            "group": criterion["group"],
            "level": None if criterion["level"] == "unknown" else criterion["level"],
            "article": "" if criterion["article"] == "unknown" else str(criterion["article"]),
            "tiers": [TIERS[tier] for tier in criterion["tiers"]],
            "name": criterion["title_vi"],
            "name_en": criterion.get("title_en", ""),
            **judged,
            "verified": bool(criterion["verified"]),
            "source": criterion.get("source", ""),
            "note": note,
            "note_en": criterion.get("note", ""),
        }
        criteria.append(row)
        extra = criterion["threshold"] or {}
        for key, metric, name, name_en in (
            ("teacher_copies", "book_copies_per_teacher", "bản sách cho mỗi giáo viên",
             "book copies per teacher"),
            ("teacher_sets", "book_sets_per_teacher", "bộ sách cho mỗi giáo viên",
             "book sets per teacher"),
        ):  # fmt: skip
            if key in extra:
                criteria.append(
                    {
                        **row,
                        "code": f"{criterion['id']}.teacher",
                        "name": f"Ít nhất {extra[key]:02d} {name}",
                        "name_en": f"At least {extra[key]} {name_en}",
                        "judgement": "threshold",
                        "metric": metric,
                        "operator": ">=",
                        "threshold": extra[key],
                        "per": "teacher",
                        "unit": "bộ" if key == "teacher_sets" else "bản",
                        "note": note,
                    }
                )
    sources = {key: str(url) for key, url in reference["sources"].items()}
    used = {row["source"] for row in criteria} | {level.get("source", "") for level in tt["levels"]}
    return {
        "format": FORMAT,
        "framework": {
            "code": "tt16-2022",
            "name": tt["regulation"],
            "title": "Quy định tiêu chuẩn thư viện cơ sở giáo dục mầm non và phổ thông",
            "issued_on": str(tt["issued"]),
            "effective_on": str(tt["effective"]),
            "historical": False,
        },
        "sources": {key: url for key, url in sources.items() if key in used},
        "levels": [
            {
                "code": level["id"],
                "name": level["title_vi"],
                "name_en": {"muc1": "Level 1", "muc2": "Level 2"}.get(level["id"], ""),
                "rule": TT16_RULES.get(level["id"], level.get("rule", "")),
                "verified": bool(level["verified"]),
                "source": level.get("source", ""),
            }
            for level in tt["levels"]
        ],
        "groups": [
            {"code": group["id"], "name": group["title_vi"], "name_en": group["title_en"]}
            for group in tt["groups"]
        ],
        "criteria": criteria,
    }


def qd01(reference: dict) -> dict:
    qd = reference["qd01_2003"]
    english = {"dat_chuan": "Standard", "tien_tien": "Advanced", "xuat_sac": "Excellent"}
    criteria = []
    for standard in qd["standards"]:
        items = standard.get("items") or [
            {
                "id": standard["id"],
                "title_vi": standard["title_vi"],
                "verified": standard["verified"],
            }
        ]
        for item in items:
            criteria.append(
                {
                    "code": item["id"],
                    "group": standard["id"],
                    "level": "dat_chuan",
                    "article": str(standard.get("article", "")),
                    "tiers": ["primary", "lower_secondary", "upper_secondary"],
                    "name": item["title_vi"],
                    "name_en": standard.get("title_en", "") if item is items[0] else "",
                    "judgement": "yes_no",
                    "verified": item.get("verified") is True,
                    "source": item.get("source", standard.get("source", "")),
                    "note": "",
                    "note_en": standard.get("note", ""),
                }
            )
    sources = {key: str(url) for key, url in reference["sources"].items()}
    used = {row["source"] for row in criteria} | {level.get("source", "") for level in qd["levels"]}
    return {
        "format": FORMAT,
        "framework": {
            "code": "qd01-2003",
            "name": "Quyết định 01/2003/QĐ-BGDĐT",
            "title": "Quy định về tiêu chuẩn thư viện trường phổ thông",
            "issued_on": str(qd["signed"]),
            "effective_on": str(qd["effective"]),
            "historical": True,
        },
        "sources": {key: url for key, url in sources.items() if key in used},
        "levels": [
            {
                "code": level["id"],
                "name": level["title_vi"],
                "name_en": english[level["id"]],
                "rule": level.get("rule") or "",
                "verified": bool(level["verified"]),
                "source": level.get("source", ""),
            }
            for level in qd["levels"]
        ],
        "groups": [
            {"code": s["id"], "name": s["title_vi"], "name_en": s.get("title_en", "")}
            for s in qd["standards"]
        ],
        "criteria": criteria,
    }


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else REFERENCE
    reference = yaml.safe_load(source.read_text(encoding="utf-8"))
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in (("tt16-2022", tt16(reference)), ("qd01-2003", qd01(reference))):
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
        header = f"# Written by scripts/convert_standards_reference.py from {source.name}.\n"
        (OUT / f"{name}.yaml").write_text(header + text, encoding="utf-8")
        print(f"{name}: {len(data['criteria'])} criteria")


if __name__ == "__main__":
    main()
