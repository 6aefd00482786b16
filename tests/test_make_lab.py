"""Does the README's first command, ``make lab``, really serve JupyterLab?

It runs the Makefile target itself (the venv already exists under ``make test``),
on a free port on 127.0.0.1, waits for the server to answer, and stops it.
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


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_make_lab_serves_the_welcome_module(tmp_path: Path) -> None:
    """Does ``make lab`` start JupyterLab on 127.0.0.1 and open modules/00_welcome?"""
    port = free_port()
    log = tmp_path / "lab.log"
    env = {**os.environ, "BROWSER": "true"}  # no browser window from a test
    with log.open("wb") as out:
        proc = subprocess.Popen(
            ["make", "--no-print-directory", "lab", f"PORT={port}", "LAB_ARGS=--no-browser"],
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + STARTUP_S
        token = None
        while time.monotonic() < deadline and token is None:
            assert proc.poll() is None, f"make lab exited early:\n{log.read_text()[-3000:]}"
            match = re.search(rf"127\.0\.0\.1:{port}/lab\?token=(\w+)", log.read_text())
            token = match.group(1) if match else None
            time.sleep(0.5)
        assert token, f"no URL printed within {STARTUP_S} s:\n{log.read_text()[-3000:]}"
        url = f"http://127.0.0.1:{port}/api/contents/modules/00_welcome.ipynb?content=0"
        request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(request, timeout=30) as reply:
            assert reply.status == 200
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/lab?token={token}", timeout=30
        ) as page:
            assert page.status == 200 and b"JupyterLab" in page.read()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
