"""`make demo` as a newcomer runs it, on a port and in a var folder of the test's own: it ends
with the logins table (also in var/demo-logins.txt) right before the web server's lines, prints
no e-mail (the mail goes to files in var/mail/, whose folder it prints) and the links in the
e-mail follow PORT. The real Makefile, seeder, worker and server, stopped at the end."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVER_FIRST_LINE = "Performing system checks..."
DEADLINE = 600  # seconds: migrating and seeding on a busy machine


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(check, what: str, process: subprocess.Popen[bytes], log: Path) -> None:
    started = time.monotonic()
    while not check():
        if process.poll() is not None:
            pytest.fail(
                f"make demo ended (exit {process.returncode}) before {what}:\n{log.read_text()}"
            )
        if time.monotonic() - started > DEADLINE:
            pytest.fail(f"no {what} after {DEADLINE} s:\n{log.read_text()}")
        time.sleep(1)


def sip2_login(port: int) -> str:
    from thuvien.circulation.sip2.protocol import checksum

    body = "9300CNkiosk-demo|COkiosk-demo|AY0AZ"
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
            conn.sendall(f"{body}{checksum(body)}\r".encode())
            return conn.recv(100).decode()[:3]
    except OSError:
        return ""


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own server
            return bool(response.status == 200)
    except OSError:
        return False


@pytest.fixture
def demo_run(tmp_path: Path) -> Iterator[tuple[int, Path, Path, subprocess.Popen[bytes]]]:
    """`make demo` on a free port with THUVIEN_VAR_DIR in tmp_path; its whole process group is
    stopped afterwards, whatever happened."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    port, var = free_port(), tmp_path / "var"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "EMAIL_BACKEND", "EMAIL_FILE_PATH", "SITE_URL"}
        and not key.startswith(("DJANGO_", "PYTEST_"))
    }
    env |= {"THUVIEN_VAR_DIR": str(var), "TASKS_BACKEND": "django_tasks_db.DatabaseBackend"}
    env["SIP2_PORT"] = str(free_port())
    log = tmp_path / "make-demo.out"
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "demo", f"PORT={port}", "SCHOOLS=8"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield port, var, log, process
    finally:
        for sent in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(process.pid, sent)
            except ProcessLookupError:
                break
            try:
                process.wait(timeout=20)
                break
            except subprocess.TimeoutExpired:
                continue


# The demo runs on its own SQLite file: once, in the SQLite run (deselected on PostgreSQL).
@pytest.mark.sqlite
def test_make_demo_ends_with_the_logins_table_and_keeps_the_mail_in_files(demo_run):
    port, var, log, process = demo_run
    site = f"http://127.0.0.1:{port}"
    wait_for(lambda: answers(f"{site}/accounts/login/"), "login page", process, log)
    # The SIP2 server runs beside it, and the demo's kiosk logs in.
    sip2 = int(re.search(r"127\.0\.0\.1:(\d+) \(login kiosk-demo", log.read_text()).group(1))
    wait_for(lambda: sip2_login(sip2) == "941", "SIP2 login", process, log)
    mail = var / "mail"
    wait_for(lambda: any(mail.glob("*.log")), "e-mail file", process, log)
    time.sleep(3)  # the worker's other batches

    output = log.read_text(encoding="utf-8")
    assert "Subject:" not in output and "Xin chào" not in output  # no e-mail on the console
    before_server = output.split(SERVER_FIRST_LINE, 1)[0].rstrip().splitlines()
    saved = (var / "demo-logins.txt").read_text(encoding="utf-8").splitlines()
    assert before_server[-len(saved) :] == saved  # the table is the last thing before the server
    table = saved[saved.index(next(x for x in saved if x.strip().startswith("Vai trò"))) + 1 :]
    usernames = {re.split(r"\s{2,}", line.strip())[1] for line in table}
    assert {"so_canbo", "phong_canbo", "hieutruong", "thuvien", "hieutruong_thpt"} <= usernames
    assert "giangvien_tdtu" in usernames  # the trainer of the partner that organises the event
    assert f"{site}/" in saved[0]
    assert f"{mail.resolve()}/" in saved[1]

    messages = "\n".join(path.read_text(encoding="utf-8") for path in mail.glob("*.log"))
    assert messages.count("Subject:") > 0
    links = re.findall(r"https?://[^\s]+", messages)
    assert links and all(link.startswith(f"{site}/") or link == site for link in links)
