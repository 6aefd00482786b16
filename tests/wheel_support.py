"""Build the course wheel and install it into a fresh venv, in the background.

Installing the wheel with its dependencies takes a minute or two, mostly waiting
for the package index, not the CPU. When ``tests/test_wheel_install.py`` is
among the selected tests, :func:`start` begins it as the session's tests are
collected, so it runs while other tests do; the test's fixture waits for it.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
WHEEL_TESTS = "test_wheel_install.py"


class Install:
    """A wheel build and install running in a temporary folder outside the checkout."""

    def __init__(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="etw-wheel-")
        self.root = Path(self._tmp.name)
        self.log = self.root / "install.log"
        venv = self.root / "venv"
        pip = f"{shlex.quote(sys.executable)} -m pip --disable-pip-version-check -q"
        script = " && ".join(
            [
                f"{pip} wheel --no-deps -w {self.root / 'dist'} {shlex.quote(str(REPO_ROOT))}",
                f"{shlex.quote(sys.executable)} -m venv {venv}",
                f"{venv}/bin/python -m pip install -q --disable-pip-version-check "
                f"{self.root / 'dist'}/endtrafficking-*.whl",
            ]
        )
        with self.log.open("w") as out:
            self._proc = subprocess.Popen(
                ["bash", "-c", script], stdout=out, stderr=subprocess.STDOUT, cwd=self.root
            )

    def wait(self, timeout: float = 1200) -> Path:
        """Wait for the install; the wheel's path. Fails with the install's own output."""
        code = self._proc.wait(timeout=timeout)
        assert code == 0, (
            f"building or installing the wheel failed:\n{self.log.read_text()[-4000:]}"
        )
        return next((self.root / "dist").glob("endtrafficking-*.whl"))

    def close(self) -> None:
        """Stop the install if it still runs, and remove the folder."""
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._tmp.cleanup()


_current: Install | None = None


def start_if_selected(paths: list[str]) -> None:
    """Start the install once, if any selected test is in ``test_wheel_install.py``."""
    global _current  # noqa: PLW0603 - one install per test session
    if _current is None and any(Path(p).name == WHEEL_TESTS for p in paths):
        _current = Install()


def current() -> Install:
    """The session's install (started now if the hook did not start it)."""
    global _current  # noqa: PLW0603 - one install per test session
    if _current is None:
        _current = Install()
    return _current


def stop() -> None:
    """End the session's install, if any."""
    global _current  # noqa: PLW0603 - one install per test session
    if _current is not None:
        _current.close()
        _current = None
