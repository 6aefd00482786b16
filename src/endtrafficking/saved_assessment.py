"""The learner's own community assessment, kept in their working folder.

The assessment exercise saves to ``work_dir()/ASSESSMENT_FILE`` as a plain
assessment JSON (the :mod:`endtrafficking.storage` format), so nbgrader, the
action plan and the engage lessons all read it with ``load_assessment``.

Reading it never raises: a damaged file is set aside as ``.damaged`` (so the
next save cannot overwrite the good backup with it) and the previous version
(``.bak``) is used, and the messages say so in plain words.

The saved assessment is dated (``assessed_on``: the day of its last change).
On the first save of a later day, the version of the earlier day is kept as a
dated snapshot in ``work_dir()/SNAPSHOT_FOLDER`` (``assessment_YYYY-MM-DD.json``),
so a learner who re-assesses a year later never loses the earlier version and
can compare the two.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from endtrafficking.assessment import Assessment
from endtrafficking.errors import AssessmentFileError
from endtrafficking.framework import Framework, load_framework
from endtrafficking.safe_save import backup_path
from endtrafficking.storage import SUFFIXES, load_assessment, save_assessment
from endtrafficking.workspace import ASSESSMENT_FILE, work_dir, work_file

DAMAGED_SUFFIX = ".damaged"
IMPORT_BACKUP_PREFIX = "assessment_before_import_"
#: Dated snapshots of the learner's assessment, one per day on which it changed.
SNAPSHOT_FOLDER = "assessment_history"
SNAPSHOT_PREFIX = "assessment_"
_SNAPSHOT_NAME = re.compile(r"^assessment_(\d{4}-\d{2}-\d{2})\.json$")
#: Saved files already checked today (path -> day), so a save does not re-read the file.
_checked: dict[Path, str] = {}


@dataclass(frozen=True)
class Snapshot:
    """A dated earlier version of the learner's assessment."""

    date: str
    path: Path


@dataclass
class Restored:
    """What was found in the working folder, and what happened while reading it."""

    assessment: Assessment | None
    messages: list[str] = field(default_factory=list)
    from_backup: bool = False


def saved_assessment_path() -> Path:
    """Where the learner's assessment is saved (``work_dir()/ASSESSMENT_FILE``)."""
    return work_file(ASSESSMENT_FILE)


def load_saved_assessment(
    path: str | Path | None = None, framework: Framework | None = None
) -> Restored:
    """The saved assessment, or ``Restored(None)`` if none was saved yet. Never raises.

    A file that cannot be read is renamed ``<name>.damaged`` and the ``.bak``
    copy is used instead; if neither can be read, the assessment is None and
    the messages say where the damaged file was kept.
    """
    path = Path(path) if path is not None else saved_assessment_path()
    framework = framework or load_framework()
    result = Restored(assessment=None)
    if not path.exists() and not backup_path(path).exists():
        return result
    for candidate in (path, backup_path(path)):
        if not candidate.exists():
            continue
        try:
            assessment = _load_json(candidate, framework)
        except AssessmentFileError as exc:
            result.messages.append(f"Your saved answers could not be read: {exc}")
            continue
        if candidate != path:
            result.from_backup = True
            if path.exists():
                damaged = path.with_name(path.name + DAMAGED_SUFFIX)
                path.replace(damaged)
                result.messages.append(f"The damaged file was kept as {damaged.name}.")
            result.messages.append("Your answers were restored from the previous version.")
        result.assessment = assessment
        return result
    if path.exists():
        damaged = path.with_name(path.name + DAMAGED_SUFFIX)
        path.replace(damaged)
        result.messages.append(
            f"No readable copy was found; the damaged file was kept as {damaged.name} "
            "and you start from a blank assessment."
        )
    return result


def _load_json(path: Path, framework: Framework) -> Assessment:
    """``load_assessment`` for the saved file or its ``.bak`` (read as JSON)."""
    return load_assessment(path, framework)


def save_learner_assessment(assessment: Assessment, path: str | Path | None = None) -> Path:
    """Save the learner's assessment, dated today (atomic; previous version kept as ``.bak``).

    If the file saved before holds an earlier day's version, that version is
    first kept as a dated snapshot (:func:`snapshots`).
    """
    target = Path(path) if path is not None else saved_assessment_path()
    today = date.today().isoformat()
    if _checked.get(target) != today:
        keep_snapshot(target, today)
        _checked[target] = today
    assessment.touch()
    assessment.assessed_on = today
    return save_assessment(assessment, target)


def _saved_date(path: Path) -> str:
    """The date of the assessment saved at ``path`` ("" if none or unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return ""
    if not isinstance(data, dict):
        return ""
    value = str(data.get("assessed_on") or "") or str(data.get("updated") or "")[:10]
    return value if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else ""


def keep_snapshot(path: Path, today: str) -> Path | None:
    """Keep the file at ``path`` as a dated snapshot if it is from a day before ``today``.

    Returns the snapshot written, or None (nothing saved yet, same day, or kept already).
    """
    saved_on = _saved_date(path) if path.exists() else ""
    if not saved_on or saved_on >= today:
        return None
    folder = path.parent / SNAPSHOT_FOLDER
    snapshot = folder / f"{SNAPSHOT_PREFIX}{saved_on}.json"
    if snapshot.exists():
        return None
    folder.mkdir(parents=True, exist_ok=True)
    partial = snapshot.with_name(snapshot.name + ".tmp")
    shutil.copy2(path, partial)
    partial.replace(snapshot)
    return snapshot


def snapshots(folder: str | Path | None = None) -> list[Snapshot]:
    """The learner's dated snapshots, oldest first."""
    base = Path(folder) if folder is not None else work_dir() / SNAPSHOT_FOLDER
    found = []
    for path in base.glob(f"{SNAPSHOT_PREFIX}*.json") if base.is_dir() else []:
        match = _SNAPSHOT_NAME.match(path.name)
        if match:
            found.append(Snapshot(match.group(1), path))
    return sorted(found, key=lambda s: s.date)


def load_snapshot(snapshot: Snapshot, framework: Framework | None = None) -> Assessment:
    """Read a snapshot (AssessmentFileError naming it if it cannot be read)."""
    assessment = load_assessment(snapshot.path, framework)
    assessment.assessed_on = assessment.assessed_on or snapshot.date
    return assessment


def backup_before_import(assessment: Assessment) -> Path:
    """Keep the current answers in the working folder before an import replaces them."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    return save_assessment(assessment, work_dir() / f"{IMPORT_BACKUP_PREFIX}{stamp}.json")


def _safe_name(name: str) -> str:
    base = Path(name.replace("\\", "/")).name
    return re.sub(r"[^\w.() -]", "_", base) or "upload"


def read_uploaded_assessment(
    name: str, content: bytes, framework: Framework | None = None
) -> Assessment:
    """Read an uploaded ``.csv``, ``.xlsx`` or ``.json`` assessment from its bytes.

    Raises:
        AssessmentFileError: naming the uploaded file (not a temporary copy).
    """
    safe = _safe_name(name)
    if Path(safe).suffix.lower() not in SUFFIXES:
        raise AssessmentFileError(
            f"the file type {Path(safe).suffix or '(none)'!r} is not one the course reads.",
            fix="upload the filled template saved as .csv or .xlsx.",
            file=safe,
        )
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / safe
        copy.write_bytes(content)
        try:
            return read_import_file(copy, framework)
        except AssessmentFileError as exc:
            raise AssessmentFileError(
                exc.problem, fix=exc.fix, file=safe, where=exc.where
            ) from None


def read_import_file(path: str | Path, framework: Framework | None = None) -> Assessment:
    """Read a filled template to import (``load_assessment``; damaged workbooks included).

    Raises:
        AssessmentFileError: naming the file, the problem and the fix.
    """
    return load_assessment(Path(path), framework)


def resolve_import_path(text: str) -> Path:
    """A path typed by the learner: as given, else relative to the working folder.

    Raises:
        AssessmentFileError: if the box is empty or no such file exists.
    """
    raw = text.strip().strip('"').strip("'")
    if not raw:
        raise AssessmentFileError(
            "no file name was given.",
            fix="type the path of the filled template, for example my_work/assessment.csv.",
        )
    given = Path(raw).expanduser()
    for candidate in (given, work_dir() / given):
        if candidate.is_file():
            return candidate
    raise AssessmentFileError(
        "the file does not exist.",
        fix=f"check the name and the folder; a name without a folder is looked for in "
        f"{Path.cwd()} and in your working folder {work_dir()}.",
        file=raw,
    )
