"""Do the README's commands really serve the course: ``make course`` and ``make lab``?

Each test runs the Makefile target itself (the venv already exists under
``make test``), on a free port on 127.0.0.1, waits for the server to answer,
fetches a page, and stops it.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
STARTUP_S = 90
#: What a person's terminal passes on to ``make``.
SHELL_VARIABLES = ("PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "TERM", "TMPDIR")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(target: str, port: int, log: Path) -> subprocess.Popen:
    # A newcomer's shell: nothing that earlier tests in this process set (work folders,
    # caches, make's own variables) reaches the server; no browser window from a test.
    env = {name: os.environ[name] for name in SHELL_VARIABLES if name in os.environ}
    env["BROWSER"] = "true"
    with log.open("wb") as out:
        return subprocess.Popen(
            [
                "make",
                "--no-print-directory",
                target,
                f"PORT={port}",
                "LAB_ARGS=--no-browser --ServerApp.port_retries=0",
            ],
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )


def _listening(port: int) -> bool:
    """Does the server accept connections yet? (Jupyter prints its URL just before it
    starts listening, in the same moment; a person cannot click that fast.)"""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _token(proc: subprocess.Popen, port: int, log: Path, path: str) -> str:
    """The token from the URL the server prints (which opens ``path``)."""
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"make exited early:\n{log.read_text()[-3000:]}"
        match = re.search(rf"127\.0\.0\.1:{port}{re.escape(path)}\?token=(\w+)", log.read_text())
        if match and _listening(port):
            return match.group(1)
        time.sleep(0.5)
    raise AssertionError(
        f"no URL to {path} printed within {STARTUP_S} s:\n{log.read_text()[-3000:]}"
    )


def _stop(proc: subprocess.Popen) -> None:
    """Stop the server's whole process group (it may have exited on its own already)."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except ProcessLookupError:
        proc.wait()
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@pytest.mark.slow
def test_make_course_opens_the_welcome_page_without_code(tmp_path: Path) -> None:
    """Does ``make course`` open the welcome module as a page, with no code on it?"""
    port = free_port()
    log = tmp_path / "course.log"
    proc = _serve("course", port, log)
    try:
        path = "/voila/render/modules/00_welcome.ipynb"
        token = _token(proc, port, log, path)
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}{path}?token={token}", timeout=120
            ) as page:
                html = page.read().decode("utf-8")
        except OSError as exc:
            raise AssertionError(f"{exc}; the server's log:\n{log.read_text()[-4000:]}") from exc
        assert page.status == 200
        assert "Welcome: how this course works" in html
        assert "from endtrafficking" not in html and "lesson_header(" not in html
        assert "Traceback" not in html
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/lab?token={token}", timeout=30
        ) as lab:
            assert lab.status == 200 and b"JupyterLab" in lab.read()
    finally:
        _stop(proc)


@pytest.mark.slow
def test_make_lab_serves_the_welcome_module(tmp_path: Path) -> None:
    """Does ``make lab`` start JupyterLab on 127.0.0.1 and open modules/00_welcome?"""
    port = free_port()
    log = tmp_path / "lab.log"
    proc = _serve("lab", port, log)
    try:
        token = _token(proc, port, log, "/lab")
        url = f"http://127.0.0.1:{port}/api/contents/modules/00_welcome.ipynb?content=0"
        request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(request, timeout=30) as reply:
            assert reply.status == 200
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/lab?token={token}", timeout=30
        ) as page:
            assert page.status == 200 and b"JupyterLab" in page.read()
    finally:
        _stop(proc)
