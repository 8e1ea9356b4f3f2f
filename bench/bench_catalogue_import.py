"""The union catalogue at the size of a province (issue 11): a MARC file of 200,000 records
imported end to end, then searched over SRU.

The file (`marc_seed`, written once under var/bench/ and reused): 200,000 distinct Vietnamese
UTF-8 records of about 870 bytes, each with one 952 holding. A school of its own receives them;
what an earlier run imported into it is removed first (plain DELETEs), so every run imports
200,000 new records with their copies.

- `catalogue_pymarc_parse_rate`: pymarc's own `MARCReader` over the same file (records/s), the
  yardstick: no mapping, no database.
- `catalogue_marc_import_rate`: `manage.py import_marc PATH --school CODE`, in a process of its
  own, from start to commit: every record created with its search terms, ISBNs and audit row,
  every holding a copy with its registration number — target ≥ 2,500 records/s, printed beside
  pymarc's rate as a ratio.
- `catalogue_marc_import_peak_memory`: the most memory (MB, proportional set size) the import's
  processes (the command and the two children preparing records) held at once, sampled every
  50 ms from /proc — target < 300 MB.
- `catalogue_sru_search_retrieve`: `GET /sru?operation=searchRetrieve` of 10 MARCXML records,
  over the 200,000 titles and the province's own, for a mix of queries (a title word, two title
  words, an author, any field, an ISBN, an exact title) — target ≤ 50 ms p95. On PostgreSQL
  after `VACUUM ANALYZE` of the catalogue's tables, as autovacuum does within minutes of an
  import (index-only scans need the visibility map).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from django.db import connection
from django.test import Client
from harness import Context, Result, percentile
from marc_seed import isbn13, pymarc_parse_rate, write_file

from thuvien.catalogue.models import Record
from thuvien.core.folding import fold
from thuvien.organisations.models import Unit, UnitKind

RECORDS = int(os.environ.get("BENCH_MARC_RECORDS") or 200_000)
SCHOOL = "Trường THPT Nhập Biểu Ghi (benchmark)"
CODE = "BENCHMARC"
ROOT = Path(__file__).resolve().parent.parent
FILE = ROOT / "var" / "bench" / f"catalogue-{RECORDS}.mrc"
RATE_TARGET = 2500
MEMORY_TARGET_MB = 300
SRU_TARGET_MS = 50
QUERIES = (
    'dc.title = "mùa xuân"',
    "dc.title = hoàng",
    'dc.creator = "Nguyễn Văn An"',
    'cql.anywhere = "dế mèn phiêu lưu"',
    f"bath.isbn = {isbn13(12345)}",
    f"bath.isbn = {isbn13(199_999)}",
    'dc.title == "tiếng việt toán học lịch sử"',
    "dc.subject = khoa",
)


def _school() -> Unit:
    found = Unit.objects.filter(code=CODE).first()
    if found is not None:
        return found
    office = Unit.objects.filter(kind=UnitKind.OFFICE).order_by("pk").first()
    department = Unit.objects.get(kind=UnitKind.DEPARTMENT)
    return Unit.objects.create(
        kind=UnitKind.SCHOOL,
        name=SCHOOL,
        name_folded=fold(SCHOOL),
        code=CODE,
        parent=office or department,
        has_upper_secondary=True,
    )


def _forget(school: Unit) -> int:
    """What an earlier run imported into the school: removed with plain DELETEs."""
    statements = [
        "DELETE FROM catalogue_historicalcopy WHERE school_id = %s",
        "DELETE FROM catalogue_copy WHERE school_id = %s",
        "DELETE FROM catalogue_recordterm WHERE record_id IN "
        "(SELECT id FROM catalogue_record WHERE catalogued_by_id = %s)",
        "DELETE FROM catalogue_recordisbn WHERE record_id IN "
        "(SELECT id FROM catalogue_record WHERE catalogued_by_id = %s)",
        "DELETE FROM catalogue_historicalrecord WHERE catalogued_by_id = %s",
        "DELETE FROM catalogue_record WHERE catalogued_by_id = %s",
    ]
    gone = Record.objects.filter(catalogued_by=school).count()
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, [school.pk])
        if connection.vendor == "postgresql":
            for table in ("catalogue_record", "catalogue_recordterm", "catalogue_copy"):
                cursor.execute(f"VACUUM ANALYZE {table}")
    return gone


def _tree_rss_mb(pid: int) -> float:
    """Memory of a process and its children, in MB: the sum of their proportional set sizes
    (/proc/PID/smaps_rollup "Pss": a page the forked children share with their parent counts
    once in all, not once in each, as their resident sizes would count it)."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    with contextlib.suppress(OSError):
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except (OSError, ValueError):  # a process that is ending
            continue
    return total / 1024


def _import(school: Unit) -> tuple[float, float, str]:
    """(seconds, peak MB, the command's report) of the import in a process of its own."""
    connection.close()  # the command writes; this process holds no transaction meanwhile
    command = [sys.executable, "manage.py", "import_marc", str(FILE), "--school", CODE]
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 — our own command
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    peak = 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_mb(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise RuntimeError(f"import_marc failed ({process.returncode}):\n{output}")
    return elapsed, peak, " ".join(output.split())


def _sru(ctx: Context) -> Result:
    client = Client()
    urls = [
        "/sru?"
        + urlencode(
            {
                "operation": "searchRetrieve",
                "version": "2.0",
                "query": query,
                "maximumRecords": "10",
                "recordSchema": "marcxml",
            }
        )
        for query in QUERIES
    ]
    for url in urls:  # warm-up, and every query answers
        response = client.get(url)
        if response.status_code != 200 or b"numberOfRecords" not in response.content:
            raise AssertionError(f"GET {url} answered {response.status_code}")
    timings: list[float] = []
    for _ in range(max(ctx.requests // 2, 5)):
        for url in urls:
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
    titles = Record.objects.count()
    return Result(
        "catalogue_sru_search_retrieve",
        round(percentile(timings, 95), 1),
        "ms p95",
        SRU_TARGET_MS,
        note=(
            f"p50 {percentile(timings, 50):.1f} ms, {len(timings)} requests of 10 MARCXML "
            f"records, {len(QUERIES)} queries, {titles} titles"
        ),
    )


def run(ctx: Context) -> list[Result]:
    started = time.perf_counter()
    write_file(FILE, RECORDS)
    written = time.perf_counter() - started
    parsed, parse_seconds = pymarc_parse_rate(FILE)
    pymarc_rate = parsed / parse_seconds
    school = _school()
    forgotten = _forget(school)
    elapsed, peak_mb, output = _import(school)
    if connection.vendor == "postgresql":  # what autovacuum does within minutes of the import
        with connection.cursor() as cursor:
            for table in ("catalogue_record", "catalogue_recordterm", "catalogue_recordisbn"):
                cursor.execute(f"VACUUM ANALYZE {table}")
    imported = Record.objects.filter(catalogued_by=school).count()
    if imported != RECORDS:
        raise AssertionError(f"{imported} records imported of {RECORDS}: {output}")
    rate = RECORDS / elapsed
    size_mb = FILE.stat().st_size / 1e6
    return [
        Result(
            "catalogue_pymarc_parse_rate",
            round(pymarc_rate),
            "records/s",
            0,
            "higher",
            note=f"pymarc.MARCReader over {FILE.name} ({size_mb:.0f} MB), no mapping, no database"
            + (f"; file written in {written:.0f} s" if written > 1 else ""),
        ),
        Result(
            "catalogue_marc_import_rate",
            round(rate),
            "records/s",
            RATE_TARGET,
            "higher",
            note=(
                f"{RECORDS} records + copies + terms in {elapsed:.1f} s (the command, startup "
                f"included) = {rate / pymarc_rate:.2f} × pymarc's parse rate; "
                f"{forgotten} earlier ones removed first; {output[-160:]}"
            ),
        ),
        Result(
            "catalogue_marc_import_peak_memory",
            round(peak_mb),
            "MB",
            MEMORY_TARGET_MB,
            note="memory (PSS) of the command and its two children at once, sampled every 50 ms",
        ),
        _sru(ctx),
    ]
