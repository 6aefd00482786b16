"""The hub's shared Python environment: one that every learner's account can run.

Learners' servers run as their own accounts, so the Python that runs them, and every
package it imports, must be readable by those accounts. When the Python that runs
``make hub`` is not (for example a pyenv under ``/root``, mode 0700), the hub builds its own
environment from the system Python under ``<shared_dir>/venv`` and installs the course wheel
with the ``[hub]`` extra there. It never changes the mode of a folder it did not make.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .accounts import can_run_as_other_user, run_admin
from .settings import Settings, WorkshopConfigError

IMPORT_CHECK = "import endtrafficking, endtrafficking_hub, jupyterhub, voila, nbgrader"
VERSION_CHECK = "import sys, venv, ensurepip; assert sys.version_info >= (3, 11)"
SYSTEM_PYTHONS = ("/usr/bin/python3", "/usr/local/bin/python3")
STAMP = ".endtrafficking-source"
#: Installed by dependencies' extras, removed from the hub's environment, with the reason.
LEAN_REMOVALS = {
    # jsonschema imports it for the "iri" format, and its import compiles about 35 parsers:
    # 1.5-3 CPU-seconds and 16 MiB in every learner's server and kernel (jupyter_server
    # issue 1559). No Jupyter or course schema uses that format; jsonschema skips the check
    # when the package is absent.
    "rfc3987-syntax": "slow import, unused format",
}
EXCLUDE_PARTS = {"__pycache__", ".pytest_cache"}


def source_stamp(checkout: Path) -> str:
    """A hash of everything that goes into the course wheel."""
    digest = hashlib.sha256()
    paths = [checkout / "pyproject.toml", checkout / "README.md"]
    paths += sorted(p for p in (checkout / "src").rglob("*") if p.is_file())
    for path in paths:
        rel = path.relative_to(checkout)
        if EXCLUDE_PARTS & set(rel.parts) or any(p.endswith(".egg-info") for p in rel.parts):
            continue
        digest.update(str(rel).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (two hubs building at once take turns)."""
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def system_python(installed: bool = False) -> str:
    """A Python 3.11+ with venv that every account can run (Debian's, installed if missing)."""
    problems = []
    for candidate in SYSTEM_PYTHONS:
        if Path(candidate).exists():
            ok, why = can_run_as_other_user(candidate, VERSION_CHECK)
            if ok:
                return candidate
            problems.append(why)
    if not installed and shutil.which("apt-get") and os.geteuid() == 0:
        print("Installing python3-venv with apt-get (the hub's shared environment)...")
        run_admin(["apt-get", "install", "-y", "-qq", "python3", "python3-venv"])
        return system_python(installed=True)
    raise WorkshopConfigError(
        "no system Python 3.11 or newer with venv that every account can run "
        f"({'; '.join(problems) or 'none found'}). Fix: apt-get install python3 python3-venv."
    )


def _pip(python: Path, *args: str) -> None:
    run_admin([str(python), "-m", "pip", "--disable-pip-version-check", "-q", *args])


def build_shared_env(shared_dir: Path, checkout: Path) -> Path:
    """Create or update ``<shared_dir>/venv`` with the checkout's wheel and ``[hub]``."""
    shared_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(shared_dir, 0o755)
    env = shared_dir / "venv"
    python = env / "bin" / "python"
    stamp = source_stamp(checkout)
    old_umask = os.umask(0o022)  # everything installed here is readable by every account
    try:
        with locked(shared_dir / ".lock"):
            if (env / STAMP).is_file() and (env / STAMP).read_text().strip() == stamp:
                return python
            if not python.exists():
                print(f"Building the hub's shared environment in {env} ...", flush=True)
                run_admin([system_python(), "-m", "venv", str(env)])
            with tempfile.TemporaryDirectory(prefix="endtrafficking-wheel-") as tmp:
                _pip(python, "wheel", "--no-deps", "-w", tmp, str(checkout))
                wheel = next(Path(tmp).glob("endtrafficking-*.whl"))
                _pip(python, "install", f"{wheel}[hub]")
                _pip(python, "install", "--no-deps", "--force-reinstall", str(wheel))
            _pip(python, "uninstall", "--yes", *LEAN_REMOVALS)
            (env / STAMP).write_text(stamp + "\n")
    finally:
        os.umask(old_umask)
    return python


def checkout_of_this_package() -> Path | None:
    """The source checkout this package runs from (an editable install), if any."""
    here = Path(__file__).resolve()
    for folder in here.parents:
        if (folder / "pyproject.toml").is_file() and (folder / "src" / "endtrafficking").is_dir():
            return folder
    return None


def hub_python(settings: Settings, checkout: Path | None = None) -> str:
    """A Python that runs the hub and every learner's server, built here if needed."""
    if settings.mode == "demo":
        return sys.executable
    ok, why = can_run_as_other_user(sys.executable, IMPORT_CHECK)
    if ok:
        return sys.executable
    checkout = checkout or checkout_of_this_package()
    if checkout is None:
        raise WorkshopConfigError(
            f"learners' accounts cannot run this Python ({why}), and there is no checkout "
            "to build a shared environment from. Fix: install the course into a Python every "
            "account can read, e.g. /usr/bin/python3 -m venv /opt/endtrafficking/venv."
        )
    print(f"Learners' accounts cannot run {sys.executable} ({why}).", flush=True)
    python = build_shared_env(settings.shared_dir, checkout)
    ok, why = can_run_as_other_user(str(python), IMPORT_CHECK)
    if not ok:
        raise WorkshopConfigError(
            f"the shared environment {python} does not work for learners' accounts ({why}). "
            f"Fix: delete {settings.shared_dir / 'venv'} and run make hub again."
        )
    return str(python)
