"""Start a throwaway workshop hub on loopback with ``make hub`` and drive it by REST API.

Test support for ``tests/hub``, ``tests/browser/test_hub_journey.py`` and
``benchmarks/hub_load.py``; a host never needs it. The hub starts exactly as a host starts
it (``make hub HUB_CONFIG=<settings>``), so the tests go through the same preparation: no
permission is granted here. Everything the hub made (system accounts with a distinctive
prefix, cgroups, the gradebook database, a temporary folder) is removed by
:meth:`HubHarness.close`. The shared environment (``SHARED_DIR``) is kept between runs: it
is rebuilt only when the course package changes.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import nbformat
import psutil
import requests
import yaml

from endtrafficking_hub import gradebook
from endtrafficking_hub.hub_config import ADMIN_TOKEN_ENV
from endtrafficking_hub.limits import Cgroups
from endtrafficking_hub.settings import load_settings

REPO_ROOT = Path(__file__).resolve().parents[2]
#: The tests' shared environment: apart from the host's /opt/endtrafficking, kept as a cache.
SHARED_DIR = Path(os.environ.get("WORKSHOP_TEST_SHARED_DIR", "/opt/endtrafficking-tests"))
ASSIGNMENT = "ps1"
# The tiny graded course: double(x). Test cells are worth 1 and 2 points.
SOLUTION = "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION\n"
TESTS = (
    ("test_basic", 1, "assert double(2) == 4"),
    ("test_more", 2, "assert double(-3) == -6\nassert double(0.5) == 1.0"),
)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tiny_notebook() -> nbformat.NotebookNode:
    """An nbgrader notebook with one answer cell (``double(x)``) and two autograded tests."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }

    def meta(grade_id: str, *, solution: bool, grade: bool, points: int = 0) -> dict[str, Any]:
        data: dict[str, Any] = {
            "grade_id": grade_id,
            "solution": solution,
            "grade": grade,
            "locked": not solution,
            "schema_version": 3,
        }
        if grade:
            data["points"] = points
        return {"nbgrader": data}

    nb.cells.append(nbformat.v4.new_markdown_cell("Write `double(x)`."))
    nb.cells.append(
        nbformat.v4.new_code_cell(SOLUTION, metadata=meta("answer", solution=True, grade=False))
    )
    for grade_id, points, code in TESTS:
        nb.cells.append(
            nbformat.v4.new_code_cell(
                code, metadata=meta(grade_id, solution=False, grade=True, points=points)
            )
        )
    return nb


def write_tiny_course(root: Path, assignments: tuple[str, ...] = (ASSIGNMENT,)) -> Path:
    """An nbgrader course: each assignment has one answer cell and two autograded tests."""
    nb = tiny_notebook()
    for assignment in assignments:
        target = root / "source" / assignment / "problem1.ipynb"
        target.parent.mkdir(parents=True)
        nbformat.write(nb, target)
    (root / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\nc.Execute.timeout = 60\n", encoding="utf-8"
    )
    return root


class HubHarness:
    """One hub (``make hub``) with its own ports, state, exchange, course and accounts."""

    def __init__(
        self,
        *,
        mode: str = "users",
        instructors: tuple[str, ...] = ("lead",),
        seed_dirs: list[Path] | None = None,
        course_source: Path | None = None,
        culling: dict[str, Any] | None = None,
        limits: dict[str, Any] | None = None,
        gradebook_backend: str = "sqlite",
        workdir: Path | None = None,
    ) -> None:
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="etw-hub-"))
        # The test's own folder stands in for /srv: every account may pass through it.
        os.chmod(self.workdir, 0o755)
        self.prefix = f"etw-{secrets.token_hex(2)}-"
        self.mode = mode
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.token = secrets.token_hex(32)
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = self.workdir / "hub.log"
        tag = self.prefix.replace("-", "_").rstrip("_")
        settings = {
            "mode": mode,
            "bind_ip": "127.0.0.1",
            "port": self.port,
            "hub_port": free_port(),
            "proxy_api_port": free_port(),
            "state_dir": str(self.workdir / "state"),
            "shared_dir": str(SHARED_DIR),
            "exchange_root": str(self.workdir / "exchange"),
            "course_root": str(self.workdir / "courses"),
            "course_source": str(course_source) if course_source else None,
            "seed_dirs": [str(d) for d in (seed_dirs or [])],
            "system_user_prefix": self.prefix,
            "instructors_system_group": f"{self.prefix}instructors",
            "instructors": list(instructors),
            "culling": culling or {"enabled": False},
            "limits": {"memory": None, "cpu": None, **(limits or {})},
            "gradebook": {"backend": gradebook_backend, "database": tag, "user": tag},
        }
        settings["limits"].setdefault("cgroup_name", f"{self.prefix}hub")
        self.settings_file = self.workdir / "workshop.yaml"
        self.settings_file.write_text(yaml.safe_dump(settings), encoding="utf-8")
        self.settings = load_settings(self.settings_file)

    # -- lifecycle --------------------------------------------------------------------
    def start(self, timeout: float = 900) -> None:
        """``make hub HUB_CONFIG=<settings>``, as a host runs it; wait until the API answers.

        The first start on a machine builds the shared environment (a few minutes).
        """
        env = dict(os.environ, **{ADMIN_TOKEN_ENV: self.token})
        env.pop("MAKEFLAGS", None)
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [
                    "make",
                    "--no-print-directory",
                    "-C",
                    str(REPO_ROOT),
                    "hub",
                    f"HUB_CONFIG={self.settings_file}",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"hub exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                if requests.get(f"{self.base}/hub/api/", timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"hub not ready after {timeout}s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 60) -> str:
        """The end of the hub's log, for failure messages."""
        if not self.log_path.exists():
            return "(no log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def log_text(self) -> str:
        """The hub's whole log so far."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        """Stop JupyterHub as Ctrl-C would (it stops every server), then make."""
        hub_pid = self.settings.state_dir / "jupyterhub.pid"
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.kill(int(hub_pid.read_text().strip()), signal.SIGTERM)
        except (FileNotFoundError, ValueError, ProcessLookupError):
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def close(self) -> None:
        """Stop the hub and proxy; delete the accounts, cgroups, database and folders."""
        try:
            self.stop()
            for pidfile in ("jupyterhub-proxy.pid", "jupyterhub.pid"):
                self._kill_pidfile(self.settings.state_dir / pidfile)
        finally:
            try:
                self._remove_accounts()
                if self.settings.gradebook_backend == "postgresql":
                    gradebook.drop(self.settings)
            finally:
                shutil.rmtree(self.workdir, ignore_errors=True)

    def _remove_accounts(self) -> None:
        """Kill the harness accounts' processes, then delete accounts, group and cgroups."""
        users = self.system_users()
        for proc in psutil.process_iter(["username"]):
            if proc.info["username"] in users:
                try:
                    proc.kill()
                except psutil.NoSuchProcess:
                    pass
        Cgroups(self.settings.cgroup_name, self.settings.cgroup_root).remove_all()
        for user in users:
            subprocess.run(["userdel", "--remove", user], capture_output=True, check=False)
        subprocess.run(
            ["groupdel", self.settings.instructors_system_group], capture_output=True, check=False
        )

    @staticmethod
    def _kill_pidfile(path: Path) -> None:
        try:
            pid = int(path.read_text().strip())
            os.kill(pid, signal.SIGKILL)
        except (FileNotFoundError, ValueError, ProcessLookupError):
            pass

    def system_users(self) -> list[str]:
        """System accounts this hub created (they carry the harness's prefix)."""
        return [p.pw_name for p in pwd.getpwall() if p.pw_name.startswith(self.prefix)]

    # -- REST API -----------------------------------------------------------------------
    def api(
        self, method: str, path: str, token: str | None = None, **kwargs: Any
    ) -> requests.Response:
        """Call the hub's REST API (default: as the automation service)."""
        headers = {"Authorization": f"token {token or self.token}"}
        return requests.request(
            method, f"{self.base}/hub/api{path}", headers=headers, timeout=60, **kwargs
        )

    def create_users(self, names: list[str], admin: bool = False) -> None:
        """Create hub users."""
        reply = self.api("POST", "/users", json={"usernames": names, "admin": admin})
        reply.raise_for_status()

    def add_to_group(self, group: str, names: list[str]) -> None:
        """Add hub users to a hub group."""
        self.api("POST", f"/groups/{group}/users", json={"users": names}).raise_for_status()

    def start_servers(self, names: list[str], timeout: float = 180) -> dict[str, float]:
        """Ask for everyone's server at once; return seconds until each was ready."""
        t0 = time.monotonic()
        # All requests at once, as learners signing in together would: the hub holds each
        # reply for up to 10 s (slow_spawn_timeout), so one-by-one would serialize them.
        with ThreadPoolExecutor(max_workers=len(names)) as pool:
            replies = list(pool.map(lambda n: self.api("POST", f"/users/{n}/server"), names))
        for name, reply in zip(names, replies, strict=True):
            if reply.status_code not in (201, 202):
                raise RuntimeError(
                    f"spawn {name}: {reply.status_code} {reply.text}\n{self.log_tail()}"
                )
        ready: dict[str, float] = {}
        while len(ready) < len(names) and time.monotonic() - t0 < timeout:
            for name in names:
                if name in ready:
                    continue
                server = self.api("GET", f"/users/{name}").json()["servers"].get("", {})
                if server.get("ready"):
                    ready[name] = time.monotonic() - t0
            time.sleep(0.5)
        if len(ready) < len(names):
            raise RuntimeError(
                f"servers not ready after {timeout}s: "
                f"{sorted(set(names) - set(ready))}\n{self.log_tail()}"
            )
        return ready

    def user_token(self, name: str) -> str:
        """A new API token owned by ``name`` (same rights as that person)."""
        reply = self.api(
            "POST", f"/users/{name}/tokens", json={"note": "harness", "expires_in": 3600}
        )
        reply.raise_for_status()
        return str(reply.json()["token"])

    def user_request(
        self, method: str, name: str, path: str, token: str, **kwargs: Any
    ) -> requests.Response:
        """Call ``/user/<name>/<path>`` through the proxy with ``token``."""
        headers = {"Authorization": f"token {token}"}
        return requests.request(
            method,
            f"{self.base}/user/{name}/{path.lstrip('/')}",
            headers=headers,
            timeout=120,
            allow_redirects=False,
            **kwargs,
        )

    def server_pid(self, name: str) -> int:
        """The pid of ``name``'s single-user server (as the hub recorded it)."""
        reply = self.api("GET", f"/users/{name}", params={"include_stopped_servers": "0"})
        state = reply.json()["servers"][""].get("state") or {}
        if "pid" in state:
            return int(state["pid"])
        user = self.settings.system_username(name)
        for proc in psutil.process_iter(["username", "cmdline"]):
            cmd = " ".join(proc.info["cmdline"] or [])
            if proc.info["username"] == user and "singleuser" in cmd:
                return int(proc.pid)
        raise LookupError(f"no server process for {name}")
