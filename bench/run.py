"""`make bench`: every benchmark under bench/, on SQLite and (when configured) on PostgreSQL.

    make bench                      # SQLite: var/bench/bench.sqlite3, kept and reused between runs
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres make bench   # and PostgreSQL
    BENCH_ONLY=national BENCH_DATABASE_URL=… make bench   # the nation (43,000 schools), PostgreSQL

On the PostgreSQL server named by BENCH_DATABASE_URL (or DATABASE_URL) this script creates its own
database, `thuvien_bench` (or $BENCH_PG_DATABASE; `…_national` for the nation), and drops it at the
end (unless BENCH_KEEP_DATABASE is set); the database named in the URL is not touched.
Each backend runs in a process of its own (`bench/run.py --backend sqlite|postgresql`), so each
gets a clean Django set-up: migrate, seed the province once, run every `bench_*.py` module.
Results go to var/bench/results.json and to a table on stdout; the exit status is 1 when a target
is missed or a backend failed. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from harness import Context, Result

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
OUT_DIR = ROOT / "var" / "bench"
# `BENCH_SQLITE_FILE` names another SQLite file (two people benchmarking on one machine).
SQLITE_FILE = Path(os.environ.get("BENCH_SQLITE_FILE") or OUT_DIR / "bench.sqlite3")
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE") or "thuvien_bench"
SCHOOLS = 2000
# `BENCH_ONLY=national`: only the modules whose OPT_IN names it (bench_national), on PostgreSQL
# only, each seeding its own database (no 2,000-school province first); `BENCH_SCHOOLS` in all.
NATIONAL = "national"
NATIONAL_SCHOOLS = 43_000
SEED_TARGET_S = 600


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], help="(internal) child run")
    parser.add_argument("--out", type=Path, help="(internal) where the child writes its results")
    default_schools = NATIONAL_SCHOOLS if national() else SCHOOLS
    parser.add_argument(
        "--schools", type=int, default=int(os.environ.get("BENCH_SCHOOLS") or default_schools)
    )
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    parser.add_argument("--fresh", action="store_true", help="re-seed the SQLite database")
    args = parser.parse_args()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    if args.backend:
        return run_backend(args)
    results, failed = [], []
    if args.fresh:
        for path in SQLITE_FILE.parent.glob(SQLITE_FILE.name + "*"):
            path.unlink()
    backends = [] if national() else [("sqlite", f"sqlite:///{SQLITE_FILE}")]
    server = postgres_server_url()
    if server is None and national():
        print("The national simulation runs on PostgreSQL: set BENCH_DATABASE_URL=postgresql://…")
        return 1
    if server is None:
        print("PostgreSQL skipped: set BENCH_DATABASE_URL=postgresql://… to include it.")
    for name, url in backends + ([("postgresql", server)] if server else []):
        with own_database(url) if name == "postgresql" else _as_is(url) as database_url:
            rows = spawn(name, database_url, args)
        if rows is None:
            failed.append(name)
        results.extend(rows or [])
    (OUT_DIR / "results.json").write_text(
        json.dumps([r.as_json() for r in results], ensure_ascii=False, indent=2) + "\n"
    )
    print_table(results)
    for name in failed:
        print(f"FAILED: the {name} run stopped with an error (see above).")
    return 1 if failed or any(r.missed for r in results) else 0


# --- the parent: one child process per backend ---------------------------------------------


def national() -> bool:
    return os.environ.get("BENCH_ONLY", "") == NATIONAL


def postgres_server_url() -> str | None:
    for name in ("BENCH_DATABASE_URL", "DATABASE_URL"):
        url = os.environ.get(name, "")
        if url.startswith(("postgres://", "postgresql://")):
            return url
    return None


@contextmanager
def _as_is(url: str) -> Iterator[str]:
    yield url


@contextmanager
def own_database(server_url: str) -> Iterator[str]:
    """Create our database on the server of `server_url`, yield its URL, drop it afterwards."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(server_url)
    database = f"{PG_DATABASE}_{NATIONAL}" if national() else PG_DATABASE
    maintenance = parts.path.lstrip("/") or "postgres"
    if maintenance == database:
        maintenance = "postgres"
    name = sql.Identifier(database)

    def execute(statement: sql.Composed) -> None:
        with psycopg.connect(server_url, dbname=maintenance, autocommit=True) as connection:
            connection.execute(statement)

    execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
    execute(sql.SQL("CREATE DATABASE {}").format(name))
    try:
        yield urlunsplit(parts._replace(path=f"/{database}"))
    finally:
        if os.environ.get("BENCH_KEEP_DATABASE"):  # to look at it afterwards (EXPLAIN…)
            print(f"kept the database {database} (BENCH_KEEP_DATABASE)")
        else:
            execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def spawn(backend: str, database_url: str, args: argparse.Namespace) -> list[Result] | None:
    out = OUT_DIR / f"results-{backend}.json"
    out.unlink(missing_ok=True)
    command = [sys.executable, __file__, "--backend", backend, "--out", str(out)]
    command += ["--schools", str(args.schools), "--requests", str(args.requests)]
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "thuvien.settings"}
    print(f"=== {backend} ===", flush=True)
    finished = subprocess.run(command, env=env, cwd=ROOT, check=False)  # noqa: S603 — our own script
    if finished.returncode != 0 or not out.exists():
        return None
    return [Result(**row) for row in json.loads(out.read_text())]


def print_table(results: list[Result]) -> None:
    headers = ("backend", "benchmark", "value", "unit", "target", "status")
    rows = [
        (
            r.backend,
            r.name,
            f"{r.value:g}",
            r.unit,
            f"{'≤' if r.better == 'lower' else '≥'} {r.target:g}",
            "MISSED" if r.missed else "ok",
        )
        for r in results
    ]
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    line = "  ".join(f"{{:<{width}}}" for width in widths)
    print()
    print(line.format(*headers))
    print(line.format(*("-" * w for w in widths)))
    for row in rows:
        print(line.format(*row))
    print()
    for backend in dict.fromkeys(r.backend for r in results):
        host = next(r.machine for r in results if r.backend == backend)
        print(f"machine ({backend}): {host}")
    print("notes:")
    for r in results:
        if r.note:
            print(f"  [{r.backend.split()[0]}] {r.name}: {r.note}")


# --- the child: one backend, inside Django -------------------------------------------------


def run_backend(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    say = _sayer(args.backend)
    say("migrating")
    call_command("migrate", interactive=False, verbosity=0)
    # The national modules seed a database of their own; the others share the province.
    results = [] if national() else [ensure_seeded(args, say)]
    ctx = Context(backend=args.backend, schools=args.schools, requests=args.requests)
    for module in discover():
        say(f"running {module.__name__}")
        results.extend(module.run(ctx))
    label, host = f"{connection.vendor} {_database_version(connection)}", machine()
    for result in results:
        result.backend, result.machine = label, host
    args.out.write_text(json.dumps([r.as_json() for r in results], ensure_ascii=False))
    return 0


def _sayer(backend: str) -> Callable[[str], None]:
    started = time.perf_counter()
    return lambda text: print(
        f"[{backend} {time.perf_counter() - started:6.1f} s] {text}", flush=True
    )


def ensure_seeded(args: argparse.Namespace, say: Callable[[str], None]) -> Result:
    """Seed `--schools` schools unless this database already holds them from the same demo code;
    the seeding time is a result too (a reused database reports the time recorded when seeded)."""
    from django.core.management import call_command
    from django.db import connection

    from thuvien.organisations import demo
    from thuvien.organisations.models import Unit

    database = Path(connection.settings_dict["NAME"]).name  # its own marker per SQLite file
    marker = OUT_DIR / f"seeded-{args.backend}-{database}.json"
    sources = sorted(Path(demo.__file__).parent.glob("*.py"))  # the whole demo package
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.read_bytes())
    fingerprint = digest.hexdigest()[:16]
    recorded = json.loads(marker.read_text()) if marker.exists() else {}
    name = f"seed_demo_{args.schools}_schools"
    if (
        recorded.get("schools") == args.schools
        and recorded.get("demo") == fingerprint
        and Unit.objects.schools().count() == args.schools
    ):
        say(f"reusing the {args.schools}-school province seeded {recorded['when']}")
        note = f"reused: seeded {recorded['when']}"
        return Result(name, recorded["seconds"], "s", SEED_TARGET_S, note=note)
    if Unit.objects.exists():
        demo.clear_demo_data()
    say(f"seeding {args.schools} schools")
    started = time.perf_counter()
    call_command("seed_demo", schools=args.schools, stdout=StringIO())
    seconds = round(time.perf_counter() - started, 1)
    if connection.vendor == "postgresql":
        # Autovacuum would gather planner statistics within a minute; do not measure before it.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    when = time.strftime("%Y-%m-%d %H:%M %z")
    recorded = {"schools": args.schools, "demo": fingerprint, "seconds": seconds, "when": when}
    marker.write_text(json.dumps(recorded))
    return Result(name, seconds, "s", SEED_TARGET_S, note=f"seeded {when}, bulk insert")


def discover() -> list[ModuleType]:
    """Every bench_*.py module, or those whose name contains $BENCH_ONLY (e.g. "training"); a
    module with `OPT_IN = "<word>"` (the nation) runs only when BENCH_ONLY is that word."""
    only = os.environ.get("BENCH_ONLY", "")
    modules = []
    for path in sorted(BENCH_DIR.glob("bench_*.py")):
        if only and only not in path.stem:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[path.stem] = module  # as an import would (dataclasses look it up)
        spec.loader.exec_module(module)
        if getattr(module, "OPT_IN", only) != only:  # opt-in: only when named exactly
            continue
        modules.append(module)
    return modules


def _database_version(connection: Any) -> str:
    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        return f"{major}.{minor}"
    import sqlite3

    return sqlite3.sqlite_version


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = " ".join(line.split(":", 1)[1].split())
                break
    ram = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split("MemTotal:", 1)[1].split()[0])
        ram = f", {kib / 1024 / 1024:.0f} GiB RAM"
    load = os.getloadavg()[0]
    return (
        f"{cpu}, {os.cpu_count()} cores{ram}, Python {platform.python_version()}, load {load:.1f}"
    )


if __name__ == "__main__":
    sys.exit(main())
