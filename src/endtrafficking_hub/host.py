"""Host preparation, an explicit step of ``make hub`` (``endtrafficking_hub prepare``).

Creates the state folder and sign-up codes, the nbgrader exchange and the shared course
folder, copies the course files learners start from into the shared folder (real files, so a
learner never gets a dangling link), sets up the gradebook database when asked, and checks
that limits can be applied. It changes only folders the settings name; nothing else on the
host changes mode or owner.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from . import gradebook
from .accounts import can_run_as_other_user, ensure_group
from .credentials import ensure_codes
from .limits import Cgroups
from .settings import Settings, WorkshopConfigError

SKIP = shutil.ignore_patterns(".*", "__pycache__", ".ipynb_checkpoints")


def _copy_missing(src: Path, dest: Path, gid: int | None) -> None:
    """Copy files from ``src`` that ``dest`` lacks; never overwrite (instructors edit them)."""
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
            continue
        target = dest / rel
        if path.is_dir():
            target.mkdir(exist_ok=True)
            os.chmod(target, 0o2770)
        elif path.is_file() and not target.exists():
            shutil.copyfile(path, target)
            os.chmod(target, 0o660)
        else:
            continue
        if gid is not None:
            os.chown(target, 0, gid)


def publish_seed(settings: Settings) -> list[Path]:
    """Copy each seed folder, links resolved, to ``<course_root>/<course_id>-for-learners/``.

    Every account may read the copy; it replaces the previous one whole (copied beside it,
    then renamed), so a learner whose server starts meanwhile sees one version or the other.
    """
    settings.seed_root.mkdir(parents=True, exist_ok=True)
    os.chmod(settings.seed_root, 0o755)
    published = []
    for source in settings.seed_dirs:
        if not source.is_dir():
            continue
        target = settings.seed_root / source.name
        fresh = Path(tempfile.mkdtemp(dir=settings.seed_root, prefix=f".{source.name}."))
        shutil.copytree(
            source, fresh / "x", symlinks=False, ignore=SKIP, ignore_dangling_symlinks=True
        )
        for folder, _, names in os.walk(fresh):
            os.chmod(folder, 0o755)
            for name in names:
                os.chmod(Path(folder) / name, 0o644)
        old = settings.seed_root / f".{source.name}.old"
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
            target.rename(old)
        (fresh / "x").rename(target)
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
        published.append(target)
    return published


def limits_reason(settings: Settings) -> str:
    """'' when limits can be applied here (or none are asked); else why not. Reads only."""
    if settings.mode != "users" or not (settings.mem_limit_bytes or settings.cpu_limit):
        return ""
    return Cgroups(settings.cgroup_name, settings.cgroup_root).unavailable_reason()


def check_limits(settings: Settings) -> str:
    """'' when limits can be applied (or none are asked); else why not. Raises in refuse mode."""
    reason = limits_reason(settings)
    if reason and settings.limits_required:
        raise WorkshopConfigError(
            f"{settings.source}: memory and CPU limits cannot be applied: {reason}. The hub "
            "does not start without them (limits.when_unavailable: refuse). Fix: run it where "
            "the kernel's cgroups are writable by root, or set limits.when_unavailable: warn "
            "to start anyway with a warning in the log and on the admin page."
        )
    return reason


def _prepare_course(settings: Settings, gid: int | None) -> None:
    """The shared course folder, seeded from ``course_source`` (new files only)."""
    course = settings.course_dir
    course.mkdir(exist_ok=True)
    if gid is not None:
        os.chown(course, 0, gid)
        os.chmod(course, 0o2770)
    if settings.course_source is None:
        return
    config = settings.course_source / "nbgrader_config.py"
    target = course / "nbgrader_config.py"
    if config.is_file() and not target.exists():
        shutil.copyfile(config, target)
        os.chmod(target, 0o660)
        if gid is not None:
            os.chown(target, 0, gid)
    source = settings.course_source / "source"
    if source.is_dir():
        (course / "source").mkdir(exist_ok=True)
        _copy_missing(source, course / "source", gid)
        if gid is not None:
            os.chown(course / "source", 0, gid)
            os.chmod(course / "source", 0o2770)


def check_reachable(settings: Settings, python: str) -> None:
    """Can a learner's account enter the exchange and read the course files? A real try."""
    for folder in (settings.exchange_root, settings.seed_root):
        ok, why = can_run_as_other_user(python, f"import os; os.listdir({str(folder)!r})")
        if not ok:
            raise WorkshopConfigError(
                f"learners' accounts cannot enter {folder} ({why}). Fix: choose folders "
                "every account may pass through (exchange_root, course_root), e.g. under /srv."
            )


def prepare_host(settings: Settings, python: str | None = None) -> list[str]:
    """Prepare everything the hub needs; return notes for the banner.

    Mode 'users' (root): exchange 1777 as nbgrader's docs ask (sticky: nobody deletes another
    person's files); course folder root:<instructors group> 2770, so learners cannot enter it
    (sources with solutions, gradebook, submissions). Mode 'demo': the same folders, owned by
    the one account that runs everything.
    """
    users_mode = settings.mode == "users"
    if users_mode and os.geteuid() != 0:
        raise WorkshopConfigError(
            f"{settings.source}: mode 'users' creates one system account per person and "
            "needs root. Fix: start it as root (sudo make hub), or set mode: demo for a "
            "single-account demo without isolation (see hub/HOSTS.md)."
        )
    notes = []
    reason = check_limits(settings)
    if reason:
        notes.append(f"WARNING: memory and CPU limits are NOT applied: {reason}.")
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(settings.state_dir, 0o700)
    ensure_codes(settings)
    gid = ensure_group(settings.instructors_system_group) if users_mode else None
    settings.exchange_root.mkdir(parents=True, exist_ok=True)
    os.chmod(settings.exchange_root, 0o1777 if users_mode else 0o700)
    settings.course_root.mkdir(parents=True, exist_ok=True)
    os.chmod(settings.course_root, 0o755 if users_mode else 0o700)
    _prepare_course(settings, gid)
    if users_mode:
        publish_seed(settings)
        check_reachable(settings, python or "/usr/bin/python3")
    else:
        (settings.state_dir / "homes").mkdir(exist_ok=True)
    if settings.gradebook_backend == "postgresql":
        notes.append(gradebook.prepare(settings, gid))
    return notes
