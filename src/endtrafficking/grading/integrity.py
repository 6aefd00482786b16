"""One grading run at a time, and proof that grading changed nothing it must not.

* :func:`grading_lock` - an ``fcntl`` lock on ``<course>/.grading.lock`` holding who
  started the run and when; a second ``grade`` on the same course stops at once
  with "grading is already running (since ..., by ...)".
* :func:`snapshot` and :func:`changes` - digests of every file in ``source/`` and
  ``submitted/``, taken before and after a run: grading must leave both byte for
  byte as they were (the sandbox gives kernels neither; this checks it);
* :func:`gradebook_changes` - the gradebook rows of every submission this run did
  not grade must be as they were (no kernel reaches the gradebook; this checks it).
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import hashlib
import json
import os
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from endtrafficking.errors import CourseInputError

LOCK_FILE = ".grading.lock"
#: The course folders grading reads and must never change.
GUARDED = ("source", "submitted")


class GradingBusy(CourseInputError):
    """Another grading run holds the course's lock."""


class CourseTampered(CourseInputError):
    """A guarded file changed while learners' code ran."""


def _holder(path: Path) -> str:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return f"since {data['since']}, by {data['by']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "since an unknown time, by someone else"


@contextlib.contextmanager
def grading_lock(root: Path) -> Iterator[None]:
    """Hold the course's grading lock for a block.

    Raises:
        GradingBusy: another run holds it (the message says since when and by whom).
    """
    path = root / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o664)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise GradingBusy(
                f"grading is already running ({_holder(path)}).",
                fix="wait for it to finish, then run grade again.",
                file=root,
            ) from None
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        who = f"{getpass.getuser()} on {socket.gethostname()} (process {os.getpid()})"
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"since": stamp, "by": who}).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def snapshot(root: Path) -> dict[str, str]:
    """A digest of every file under the guarded folders, by path relative to ``root``."""
    digests = {}
    for folder in GUARDED:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and not path.is_symlink():
                digests[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def changes(before: dict[str, str], after: dict[str, str], allowed: set[str]) -> list[str]:
    """Files added, removed or changed between two snapshots, except paths in ``allowed``."""
    found = []
    for path in sorted(set(before) | set(after)):
        if path in allowed or before.get(path) == after.get(path):
            continue
        what = "appeared" if path not in before else "vanished" if path not in after else "changed"
        found.append(f"{path} {what} during grading")
    return found


def gradebook_changes(
    before: dict[tuple[str, str], str],
    after: dict[tuple[str, str], str],
    graded: set[tuple[str, str]],
) -> list[str]:
    """Submissions whose scores or comments changed although this run did not grade them.

    ``before`` and ``after`` are :func:`.results.submission_fingerprints`; ``graded``
    the (assignment, learner) pairs the grader wrote in between.
    """
    return [
        f"the gradebook's scores of {student} in {assignment} changed, but were not graded"
        for (assignment, student) in sorted(set(before) | set(after))
        if (assignment, student) not in graded
        and before.get((assignment, student)) != after.get((assignment, student))
    ]
