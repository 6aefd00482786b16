"""Collect submissions into ``submitted/<learner>/<assignment>/``.

Three sources:

* **the exchange** of a JupyterHub (nbgrader's own ``collect``);
* **a folder** downloaded from a learning management system, or made by hand;
* **a zip file** of such a folder (it is unpacked first).

A folder may be laid out in any of these ways, recognised automatically:

``<learner>/<files>`` or ``<learner>/<assignment>/<files>``
    One folder per learner, named by the learner's id (letters, digits,
    ``.``, ``_``, ``-``, ``@``).
Moodle ("Download all submissions")
    One folder per learner, ``<Full Name>_<number>_assignsubmission_file_``;
    the learner id is the name in lower case with ``-`` for spaces.
Canvas ("Download Submissions")
    Flat files ``<name>[_LATE]_<user id>_<submission id>_<file name>``; the
    learner id is the Canvas user id. A ``-1``, ``-2`` that Canvas adds to a
    re-uploaded file's name is removed.

Anything else stops the collection with an error that lists the names it did
not recognise and the layouts it expects: nothing is half-collected. Each
learner's submission time is the newest file time in the download; it is
written to ``timestamp.txt`` as nbgrader does.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from endtrafficking.errors import CourseInputError
from endtrafficking.grading.work_files import EXERCISES

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]*$")
MOODLE_FOLDER = re.compile(r"^(?P<name>.+?)_(?P<number>\d+)_assignsubmission_[a-z]+_?$")
CANVAS_FILE = re.compile(
    r"^(?P<name>[A-Za-z0-9-]+?)(?:_LATE)?_(?P<user>\d+)_(?P<submission>\d+)_(?P<file>.+)$"
)
REUPLOAD = re.compile(r"^(?P<stem>.+?)-\d+(?P<suffix>\.[^.]+)$")
#: Files an LMS or an operating system adds that are never part of a submission.
JUNK = {".DS_Store", "Thumbs.db", "desktop.ini", "__MACOSX", ".ipynb_checkpoints"}
TIMESTAMP_FILE = "timestamp.txt"
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"
LAYOUTS = (
    "one folder per learner named by the learner's id (<learner>/<files>), "
    "Moodle's '<Full Name>_<number>_assignsubmission_file_' folders, or Canvas's flat "
    "'<name>_<user id>_<submission id>_<file>' files"
)


@dataclass
class CollectReport:
    """What a collection found and copied."""

    assignment: str
    source: str
    students: list[str] = field(default_factory=list)
    files: int = 0
    skipped_older: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def slug(name: str) -> str:
    """A learner id made from a person's name: lower case, ASCII, ``-`` between words."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.casefold()).strip("-")


def expected_files(root: Path, assignment: str) -> set[str]:
    """The file names a submission of ``assignment`` may hold: its notebooks and work files."""
    names = {p.name for p in (root / "source" / assignment).glob("*.ipynb")}
    for ex in EXERCISES.values():
        names.update({ex.file, ex.file + ".bak"})
    return names


def _visible(path: Path) -> bool:
    return path.name not in JUNK and not path.name.startswith(".")


def _canvas_name(file_name: str, known: set[str]) -> str:
    if file_name in known:
        return file_name
    match = REUPLOAD.match(file_name)
    if match and match["stem"] + match["suffix"] in known:
        return match["stem"] + match["suffix"]
    return file_name


def _is_assignment_file(name: str, known: set[str]) -> bool:
    return name in known or name.endswith(".ipynb")


def plan_folder(
    folder: Path, assignment: str, known: set[str]
) -> dict[str, list[tuple[Path, str]]]:
    """Map each learner id to ``(file, name in the submission)`` pairs.

    Raises:
        CourseInputError: some names fit no layout, or two learners get the same id.
    """
    entries = sorted(p for p in folder.iterdir() if _visible(p))
    if len(entries) == 1 and entries[0].is_dir() and not _looks_like_learner(entries[0], known):
        return plan_folder(entries[0], assignment, known)  # a zip's single top folder
    plan: dict[str, list[tuple[Path, str]]] = {}
    unknown: list[str] = []
    origin: dict[str, str] = {}
    for entry in entries:
        if entry.is_dir():
            moodle = MOODLE_FOLDER.match(entry.name)
            if moodle:
                student = slug(moodle["name"])
            elif STUDENT_ID.match(entry.name):
                student = entry.name
            else:
                unknown.append(entry.name + "/")
                continue
            inner = entry / assignment if (entry / assignment).is_dir() else entry
            files = [
                (p, p.name)
                for p in sorted(inner.rglob("*"))
                if p.is_file() and _all_visible(p, inner)
            ]
        else:
            canvas = CANVAS_FILE.match(entry.name)
            if not canvas:
                unknown.append(entry.name)
                continue
            student = canvas["user"]
            files = [(entry, _canvas_name(canvas["file"], known))]
        if student in origin and origin[student] != entry.name and entry.is_dir():
            raise CourseInputError(
                f"the folders {origin[student]!r} and {entry.name!r} both belong to learner "
                f"id {student!r}.",
                fix="rename one of the folders to the learner's own id, then collect again.",
                file=folder,
            )
        origin.setdefault(student, entry.name)
        plan.setdefault(student, []).extend(files)
    if unknown:
        shown = ", ".join(repr(u) for u in unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        raise CourseInputError(
            f"{len(unknown)} name(s) in the download fit no known layout: {shown}.",
            fix=f"arrange the submissions as {LAYOUTS}; then collect again.",
            file=folder,
        )
    if not plan:
        raise CourseInputError(
            "the download holds no submissions.",
            fix=f"check that you downloaded the submissions of {assignment}; expected {LAYOUTS}.",
            file=folder,
        )
    for student, files in plan.items():
        if not any(name.endswith(".ipynb") for _path, name in files):
            raise CourseInputError(
                f"the submission of learner {student!r} holds no notebook.",
                fix=f"check the download; a submission of {assignment} holds its .ipynb files.",
                file=folder,
                where=origin.get(student),
            )
    return plan


def _all_visible(path: Path, top: Path) -> bool:
    return all(_visible(Path(part)) for part in path.relative_to(top).parts)


def _looks_like_learner(folder: Path, known: set[str]) -> bool:
    return any(p.is_file() and _is_assignment_file(p.name, known) for p in folder.iterdir())


def _timestamp(files: list[tuple[Path, str]]) -> str:
    newest = max(path.stat().st_mtime for path, _name in files)
    return datetime.fromtimestamp(newest, UTC).strftime(TIMESTAMP_FORMAT)


def _is_newer(timestamp_file: Path, stamp: str) -> bool:
    """True when ``timestamp_file`` records a later time than ``stamp``."""
    from nbgrader.utils import parse_utc

    if not timestamp_file.exists():
        return False
    try:
        return parse_utc(timestamp_file.read_text(encoding="utf-8").strip()) > parse_utc(stamp)
    except ValueError:
        return False


def collect_from_folder(root: str | Path, assignment: str, folder: str | Path) -> CollectReport:
    """Copy the submissions in ``folder`` into the course's ``submitted/`` folder.

    A learner's earlier submission is replaced when the new one is at least as
    recent, and kept (and reported) when the download is older.
    """
    root = Path(root).resolve()
    folder = Path(folder)
    if not folder.is_dir():
        raise CourseInputError(
            "the folder does not exist.", fix="check the path of the download.", file=folder
        )
    if not (root / "source" / assignment).is_dir():
        raise CourseInputError(
            f"the course has no assignment {assignment!r}.",
            fix="pick one of the folders in source/ with --assignment.",
            file=root / "source",
        )
    known = expected_files(root, assignment)
    plan = plan_folder(folder, assignment, known)
    report = CollectReport(assignment=assignment, source=str(folder))
    submitted = root / "submitted"
    submitted.mkdir(exist_ok=True)
    for student, files in sorted(plan.items()):
        stamp = _timestamp(files)
        dest = submitted / student / assignment
        if _is_newer(dest / TIMESTAMP_FILE, stamp):
            report.skipped_older.append(student)
            continue
        staging = Path(tempfile.mkdtemp(prefix=f".{assignment}-", dir=submitted))
        try:
            for path, name in files:
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
            (staging / TIMESTAMP_FILE).write_text(stamp, encoding="utf-8")
            dest.parent.mkdir(parents=True, exist_ok=True)
            if dest.exists():
                shutil.rmtree(dest)
            staging.replace(dest)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        report.students.append(student)
        report.files += len(files)
        unexpected = sorted({name for _p, name in files if name not in known})
        if unexpected:
            report.notes.append(f"{student}: extra files kept: {', '.join(unexpected)}")
    return report


def collect_from_zip(root: str | Path, assignment: str, archive: str | Path) -> CollectReport:
    """Unpack ``archive`` (keeping its file times) and collect it as a folder."""
    archive = Path(archive)
    if not archive.is_file():
        raise CourseInputError(
            "the zip file does not exist.", fix="check the path of the download.", file=archive
        )
    with tempfile.TemporaryDirectory(prefix="endtrafficking-collect-") as tmp:
        try:
            with zipfile.ZipFile(archive) as zf:
                for info in zf.infolist():
                    target = Path(tmp, info.filename)
                    if not target.resolve().is_relative_to(Path(tmp).resolve()):
                        raise CourseInputError(
                            f"the zip holds a path outside its folder: {info.filename!r}.",
                            fix="download the submissions again from the learning management system.",
                            file=archive,
                        )
                    zf.extract(info, tmp)
                    if not info.is_dir():
                        when = datetime(*info.date_time, tzinfo=UTC).timestamp()
                        os.utime(target, (when, when))
        except zipfile.BadZipFile:
            raise CourseInputError(
                "the file is not a zip archive, or it is damaged.",
                fix="download the submissions again, or unpack them and use --from-folder.",
                file=archive,
            ) from None
        report = collect_from_folder(root, assignment, tmp)
    report.source = str(archive)
    return report


def collect_from_exchange(
    root: str | Path, assignment: str, overrides: dict | None = None
) -> CollectReport:
    """Run nbgrader's ``collect --update`` for ``assignment`` from the hub's exchange."""
    from nbgrader.apps import CollectApp

    from endtrafficking.grading.nbgrader_apps import load_app, working_directory

    root = Path(root).resolve()
    before = {p.parent.name for p in root.glob(f"submitted/*/{assignment}")}
    app = load_app(root, CollectApp, [assignment, "--update"], overrides=overrides)
    report = CollectReport(assignment=assignment, source="exchange")
    with working_directory(root):
        try:
            app.start()
        except SystemExit:  # nbgrader stops when the course has no inbound folder yet
            report.notes.append(
                "nothing to collect: no assignment of this course has been released through "
                "the exchange yet (see nbgrader's message above)"
            )
            return report
    after = sorted(p.parent.name for p in root.glob(f"submitted/*/{assignment}"))
    report.students = after
    new = sorted(set(after) - before)
    if new:
        report.notes.append(f"new learners: {', '.join(new)}")
    return report
