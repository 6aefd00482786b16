"""A real JupyterLab server for the browser tests, on 127.0.0.1 with token auth.

The server serves a temporary copy of the course folders, so nothing a test
does (running cells, saving notebooks, the learner's answers in ``my_work/``)
is written into the repository. Its configuration lives in temporary folders
too: JupyterLab's "news" notification and its update check are switched off,
because the notification covers part of the page.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil

REPO_ROOT = Path(__file__).resolve().parents[2]

#: The course folders a learner gets; the notebooks find the course root by ``modules/``.
COURSE_FOLDERS = ("modules", "engage_lessons", "assessments_templates", "course")
#: Generated nbgrader folders and files that a learner's copy never holds.
NOT_COPIED = (
    "release",
    "submitted",
    "autograded",
    "feedback",
    "exports",
    "gradebook.db",
    ".ipynb_checkpoints",
    "__pycache__",
    "my_work",
)

SERVER_CONFIG = """\
# Written by tests/browser/lab_server.py for one test server.
c.LabApp.news_url = None  # no "news" notification over the page
c.LabApp.check_for_updates_class = "jupyterlab.handlers.announcements.NeverCheckForUpdate"
c.ServerApp.open_browser = False
c.ServerApp.ip = "127.0.0.1"
c.ServerApp.port_retries = 0
c.ServerApp.shutdown_no_activity_timeout = 0
c.ServerApp.allow_root = True  # CI and these machines run as root
# As `make course` serves the course: a warm kernel waits for the next page.
c.ServerApp.kernel_manager_class = "endtrafficking.course_view.kernel_pool.PooledKernelManager"
"""

#: User settings: never ask about news, never check for updates.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}

STARTUP_TIMEOUT_S = 90.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_course(dest: Path) -> Path:
    """Copy the learner's course folders into ``dest`` and return ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in COURSE_FOLDERS:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns(*NOT_COPIED))
    return dest


@dataclass
class LabServer:
    """A running ``jupyter lab`` process serving ``root``."""

    root: Path
    port: int
    token: str
    process: subprocess.Popen
    log_path: Path
    env: dict[str, str] = field(repr=False, default_factory=dict)

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self.port}"

    def lab_url(self, path: str = "") -> str:
        """The JupyterLab URL that opens ``path`` (relative to the root), with the token."""
        tree = f"/tree/{path}" if path else ""
        return f"{self.base_url}/lab{tree}?token={self.token}"

    def files_url(self, path: str) -> str:
        """The server's ``/files/`` URL of a file under the root."""
        return f"{self.base_url}/files/{path}?token={self.token}"

    @property
    def work_dir(self) -> Path:
        """The learner's working folder (the default ``my_work/`` in the course root)."""
        return self.root / "my_work"

    def log_tail(self, lines: int = 60) -> str:
        """The last lines of the server's log, for failure messages."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """Stop the server; it shuts its kernels down, and any kernel left behind is ended."""
        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            children = []
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        _gone, alive = psutil.wait_procs(children, timeout=5)
        for child in alive:
            with contextlib.suppress(psutil.NoSuchProcess):
                child.kill()


def _server_env(config_dir: Path, state: Path) -> dict[str, str]:
    """The environment of the server: a learner's, with every Jupyter folder temporary."""
    env = dict(os.environ)
    # A learner's kernel draws matplotlib inline and uses the default working folder.
    env.pop("MPLBACKEND", None)
    env.pop("ENDTRAFFICKING_WORK", None)
    env.update(
        JUPYTER_CONFIG_DIR=str(config_dir),
        JUPYTER_RUNTIME_DIR=str(state / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(state / "user-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(state / "workspaces"),
        JUPYTER_PLATFORM_DIRS="1",
        PYTHONUNBUFFERED="1",
    )
    return env


def _write_config(config_dir: Path, state: Path) -> None:
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "jupyter_server_config.py").write_text(SERVER_CONFIG, encoding="utf-8")
    for relative, values in LAB_SETTINGS.items():
        target = state / "user-settings" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values, indent=2), encoding="utf-8")


def _wait_ready(server: LabServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    url = f"{server.base_url}/api/status?token={server.token}"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"jupyter lab exited with code {server.process.returncode}:\n{server.log_tail()}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    server.stop()
    raise RuntimeError(f"jupyter lab did not answer within {timeout:.0f} s:\n{server.log_tail()}")


def start_lab(root: Path, state: Path, *, extra_args: tuple[str, ...] = ()) -> LabServer:
    """Start ``jupyter lab`` on a free 127.0.0.1 port serving ``root``; wait until it answers.

    ``state`` is a temporary folder for the server's config, settings, workspaces and log.
    """
    config_dir = state / "config"
    _write_config(config_dir, state)
    env = _server_env(config_dir, state)
    token = secrets.token_hex(16)
    last_error: Exception | None = None
    for _attempt in range(3):  # a free port can be taken between the check and the bind
        port = free_port()
        log_path = state / f"jupyter-lab-{port}.log"
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            f"--ServerApp.port={port}",
            f"--ServerApp.root_dir={root}",
            f"--IdentityProvider.token={token}",
            *extra_args,
        ]
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command,
                cwd=root,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        server = LabServer(root, port, token, process, log_path, env)
        try:
            _wait_ready(server, STARTUP_TIMEOUT_S)
        except RuntimeError as exc:
            server.stop()
            last_error = exc
            continue
        return server
    raise RuntimeError(f"could not start jupyter lab: {last_error}")
