"""Start one person's Jupyter server. Runs as that person, after the hub dropped privileges.

``python -m endtrafficking_hub.singleuser [server arguments]``, on one machine and in the
Zero to JupyterHub image alike:

1. Copies the course materials (``$WORKSHOP_SEED_DIRS``) into ``~/endtrafficking/`` on first
   sign-in, and later only files that were never copied before: a learner's edits and
   deletions are kept. The copy runs as the learner, so a link they planted cannot make it
   write elsewhere.
2. For instructors, links ``~/course`` to the shared nbgrader course folder (nbgrader's
   formgrader needs the course inside the server's root folder).
3. Chooses the role's Jupyter configuration (``$WORKSHOP_ROLE``: ``learner`` or
   ``instructor``, package data in ``data/roles/``) and execs ``jupyterhub-singleuser``.

Symlinked course files are copied as the files they point at; a dangling link is skipped.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from importlib.resources import files
from pathlib import Path

SEED_DEST = "endtrafficking"  # the folder in each home that holds the learner's course copy
ROLES = ("learner", "instructor")
MARKER = ".endtrafficking-seeded.json"
SKIP_PARTS = {"__pycache__", ".ipynb_checkpoints"}


def seed(home: Path, sources: list[Path]) -> list[str]:
    """Copy files from ``sources`` into ``home/endtrafficking`` that were never copied before.

    Returns the relative paths copied this time.
    """
    dest_root = home / SEED_DEST
    marker = home / MARKER
    done: set[str] = set()
    if marker.is_file():
        done = set(json.loads(marker.read_text(encoding="utf-8")))
    copied: list[str] = []
    for source in sources:
        if not source.is_dir():
            continue
        for path in sorted(source.rglob("*")):
            rel_in_source = path.relative_to(source)
            if any(p.startswith(".") or p in SKIP_PARTS for p in rel_in_source.parts):
                continue
            if not path.is_file():
                continue
            rel = str(Path(source.name) / rel_in_source)
            target = dest_root / rel
            if rel in done or target.exists() or target.is_symlink():
                done.add(rel)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            copied.append(rel)
            done.add(rel)
    if copied or not marker.exists():
        tmp = marker.with_suffix(".tmp")
        tmp.write_text(json.dumps(sorted(done), indent=0), encoding="utf-8")
        os.replace(tmp, marker)
    return copied


def link_course(home: Path, course_dir: str) -> None:
    """Make ``~/course`` point at the shared course folder, unless something else is there."""
    link = home / "course"
    if link.is_symlink() and os.readlink(link) == course_dir:
        return
    if link.exists() or link.is_symlink():
        print(
            f"endtrafficking_hub.singleuser: {link} exists and is not the course link; "
            "formgrader will report a bad setup",
            file=sys.stderr,
        )
        return
    link.symlink_to(course_dir, target_is_directory=True)


def role_config_dir(role: str) -> Path:
    """The Jupyter configuration folder of ``role`` (package data)."""
    if role not in ROLES:
        raise ValueError(f"WORKSHOP_ROLE must be one of {ROLES}, not {role!r}")
    return Path(str(files("endtrafficking_hub").joinpath("data", "roles", role)))


def main(argv: list[str]) -> None:
    """Prepare the home folder, then become jupyterhub-singleuser."""
    home = Path(os.environ.get("HOME") or Path.home())
    sources = [Path(p) for p in os.environ.get("WORKSHOP_SEED_DIRS", "").split(os.pathsep) if p]
    try:
        copied = seed(home, sources)
        if copied:
            print(
                f"endtrafficking_hub.singleuser: copied {len(copied)} course file(s) into {home / SEED_DEST}",
                file=sys.stderr,
            )
    except OSError as exc:  # a full disk must not keep the learner out of their server
        print(
            f"endtrafficking_hub.singleuser: could not copy course materials: {exc}",
            file=sys.stderr,
        )
    course_dir = os.environ.get("WORKSHOP_COURSE_DIR")
    if course_dir:
        link_course(home, course_dir)
    os.environ["JUPYTER_CONFIG_PATH"] = str(
        role_config_dir(os.environ.get("WORKSHOP_ROLE", "learner"))
    )
    singleuser = str(Path(sys.executable).parent / "jupyterhub-singleuser")
    os.execv(singleuser, [singleuser, *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
