"""Autograde many learners at once without corrupting the gradebook.

Stock ``nbgrader autograde`` handles one submission after another (nbgrader
issue #174). Almost all of its time goes into running notebooks: starting a
kernel, importing libraries, executing cells. Writing the gradebook is quick,
but SQLite tolerates only one writer at a time. So the work is split:

1. **Workers grade.** A pool of worker processes (two per core by default)
   takes one learner each. A worker runs nbgrader's own ``Autograde`` for that
   learner, with the course's full list of preprocessors: the submission is
   copied and sanitised exactly as nbgrader does it (locked and test cells
   restored from the gradebook, kernelspec overwritten), executed by the
   course's executor (:class:`~.execute.GuardedExecute`: sandbox, memory cap,
   per-cell timeout, crash recovery) and scored by nbgrader. The only gradebook
   it writes is its own private copy, taken when the run began, and its output
   goes to a scratch folder. Then the grader's own checks of the saved files
   (:mod:`.verified`) set the scores, still in the worker, outside the sandbox.
2. **One process writes.** As each learner comes back, this process copies the
   values nbgrader wrote for that submission (and only those: scores, comments,
   timestamp, late penalty) into the course gradebook through nbgrader's
   ``Gradebook`` API (:mod:`.transfer`), then moves the autograded notebooks into
   place. SQLite has one writer, and the parallel run's gradebook equals a
   serial run's (the tests check this).

If a worker fails, this process grades that learner itself, with nbgrader's
``Autograde`` and the same preprocessors, so a learner is never skipped. An
endless loop or a crash in one submission fails only that cell (see
:mod:`.execute`) and never stops the others.
"""

from __future__ import annotations

import contextlib
import glob
import multiprocessing
import os
import shutil
import sqlite3
import tempfile
import time
import warnings
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from endtrafficking.grading.execute import grading_steps
from endtrafficking.grading.nbgrader_apps import load_app, working_directory
from endtrafficking.grading.transfer import copy_submission
from endtrafficking.grading.verified import apply_verdicts, record_flags


@dataclass
class LearnerResult:
    """What happened to one learner's submission."""

    student: str
    ok: bool = True
    seconds: float = 0.0
    incidents: list[str] = field(default_factory=list)
    error: str = ""
    executed_by: str = "worker"
    flags: list[str] = field(default_factory=list)  # the kernel disagreed with the grader
    gradebook: str = ""  # the worker's own gradebook (SQLite URL) holding this learner's grades


@dataclass
class AutogradeReport:
    """The outcome of grading one assignment."""

    assignment: str
    results: list[LearnerResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0
    notebooks: int = 0

    @property
    def failed(self) -> list[LearnerResult]:
        """Learners whose submission nbgrader could not grade at all."""
        return [r for r in self.results if not r.ok]

    @property
    def incidents(self) -> list[str]:
        """Every crashed or timed-out cell, as ``student: notebook: cell: what``."""
        return [f"{r.student}: {i}" for r in self.results for i in r.incidents]


# --------------------------------------------------------------------------- workers
_WORKER: dict[str, Any] = {}


def _worker_start(
    root: str, scratch: str, snapshot: str, overrides: dict[str, Any], log_file: str | None
) -> None:
    """Set up a worker process: its own copy of the gradebook, nbgrader's app and config."""
    from nbgrader.apps import AutogradeApp

    for message in KNOWN_WARNINGS:
        warnings.filterwarnings("ignore", message=message)
    own = Path(scratch, f"gradebook-{os.getpid()}.db")
    shutil.copyfile(snapshot, own)
    app = load_app(root, AutogradeApp, overrides=overrides, log_file=log_file)
    _WORKER.update(
        root=root,
        app=app,
        db_url=f"sqlite:///{own}",
        executed=str(Path(scratch, "executed")),
        preprocessors=grading_steps(app),
    )


def _worker_execute(assignment: str, student: str) -> LearnerResult:
    """Grade one learner into the worker's own gradebook; never raises."""
    from nbgrader.converters import Autograde

    started = time.perf_counter()
    result = LearnerResult(student=student)
    app = _WORKER["app"]
    coursedir = app.coursedir
    coursedir.assignment_id = assignment
    coursedir.student_id = student
    coursedir.autograded_directory = _WORKER["executed"]
    coursedir.db_url = _WORKER["db_url"]
    converter = Autograde(coursedir=coursedir, parent=app)
    converter.force = True
    converter.autograde_preprocessors = list(_WORKER["preprocessors"])
    try:
        with working_directory(_WORKER["root"]):
            converter.start()
            result.flags = apply_verdicts(coursedir, assignment, student)
        result.gradebook = _WORKER["db_url"]
    except (Exception, SystemExit) as exc:  # reported; the main process grades instead
        result.ok = False
        result.error = f"{exc.__class__.__name__}: {exc}"
    result.incidents = _incidents(Path(_WORKER["executed"], student, assignment))
    result.seconds = time.perf_counter() - started
    return result


def _incidents(folder: Path) -> list[str]:
    from endtrafficking.grading.execute import INCIDENTS_KEY, METADATA_KEY

    found = []
    for path in sorted(folder.glob("*.ipynb")):
        try:
            nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        except (OSError, ValueError):
            continue
        for note in nb.metadata.get(METADATA_KEY, {}).get(INCIDENTS_KEY, []):
            found.append(f"{path.stem}: {note}")
    return found


# --------------------------------------------------------------------------- planning
def submitted_students(root: Path, app: Any, assignment: str) -> list[str]:
    """The learners with a submission of ``assignment``, sorted."""
    pattern = app.coursedir.format_path(app.coursedir.submitted_directory, "*", assignment)
    return sorted(Path(p).parent.name for p in glob.glob(pattern) if Path(p).is_dir())


def needs_grading(app: Any, assignment: str, student: str, force: bool) -> bool:
    """nbgrader's rule: grade if forced, never graded, or resubmitted since."""
    cd = app.coursedir
    dest = Path(cd.format_path(cd.autograded_directory, student, assignment))
    if force or not dest.exists():
        return True
    new = cd.get_existing_timestamp(cd.format_path(cd.submitted_directory, student, assignment))
    old = cd.get_existing_timestamp(str(dest))
    return new is not None and old is not None and new > old


def snapshot_gradebook(db_url: str, target: Path) -> Path:
    """A consistent copy of the SQLite gradebook (SQLite's online backup)."""
    source = db_url.removeprefix("sqlite:///")
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


#: Grading workers per core. A worker spends part of every notebook waiting for its
#: kernel (start-up, message round trips, nbclient's quiet period before the first
#: cell), so with one per core the cores sit idle that long; two keep them busy
#: (on 2 cores, 8 learners: 1.76x faster than stock with one per core, 2.36x with two).
WORKERS_PER_CORE = 2


def default_jobs(per_core: int = 1) -> int:
    """Processes to run at once: ``per_core`` for each core this process may use."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        cores = os.cpu_count() or 1
    return max(1, cores) * per_core


# --------------------------------------------------------------------------- the run
def autograde_many(
    root: str | Path,
    assignments: list[str],
    *,
    students: list[str] | None = None,
    jobs: int | None = None,
    force: bool = False,
    progress: Any = None,
    overrides: dict[str, dict[str, Any]] | None = None,
    log_file: str | Path | None = None,
) -> dict[str, AutogradeReport]:
    """Autograde assignments for every learner who submitted them, in parallel.

    One pool of ``jobs`` worker processes (default: two per core) grades
    every (assignment, learner) submission that needs grading (nbgrader's rule:
    never graded, resubmitted since, or ``force``). ``progress`` is called as
    ``progress(assignment, done, total, result)`` after each submission, with
    counts for that assignment. ``overrides`` is extra nbgrader configuration
    (``{"Class": {"trait": value}}``); nbgrader's messages go to ``log_file``
    (errors still reach the terminal) when it is given.
    """
    from nbgrader.apps import AutogradeApp
    from nbgrader.converters import Autograde

    started = time.perf_counter()
    root = Path(root).resolve()
    overrides = dict(overrides or {})
    app = load_app(root, AutogradeApp, overrides=overrides, log_file=log_file)
    reports = {a: AutogradeReport(assignment=a) for a in assignments}
    todo: list[tuple[str, str]] = []
    for name in assignments:
        wanted = submitted_students(root, app, name)
        if students is not None:
            wanted = [s for s in wanted if s in students]
        chosen = [s for s in wanted if needs_grading(app, name, s, force)]
        reports[name].skipped = [s for s in wanted if s not in chosen]
        if chosen:
            _prepare_gradebook(app, name)
        todo += [(name, s) for s in chosen]
    totals = {a: sum(1 for x, _s in todo if x == a) for a in assignments}
    if todo:
        steps = grading_steps(app)
        scratch = Path(tempfile.mkdtemp(prefix="endtrafficking-autograde-"))
        try:
            snapshot = snapshot_gradebook(app.coursedir.db_url, scratch / "gradebook-snapshot.db")
            workers = min(max(1, jobs or default_jobs(WORKERS_PER_CORE)), len(todo))
            with (
                quiet_known_warnings(),
                ProcessPoolExecutor(
                    max_workers=workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_worker_start,
                    initargs=(str(root), str(scratch), str(snapshot), overrides, log_file),
                ) as pool,
            ):
                pending: dict[Future, tuple[str, str]] = {
                    pool.submit(_worker_execute, a, s): (a, s) for a, s in todo
                }
                done = dict.fromkeys(assignments, 0)
                while pending:
                    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in sorted(finished, key=lambda f: pending[f]):
                        name, student = pending.pop(future)
                        try:
                            result = future.result()
                        except Exception as exc:  # a worker process died: execute here instead
                            result = LearnerResult(student, ok=False, error=f"worker: {exc}")
                        result = _write_grades(
                            app, Autograde, name, student, steps, scratch, result
                        )
                        reports[name].results.append(result)
                        done[name] += 1
                        if progress is not None:
                            progress(name, done[name], totals[name], result)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    cd = app.coursedir
    for name, report in reports.items():
        report.results.sort(key=lambda r: r.student)
        report.notebooks = sum(
            len(
                glob.glob(
                    os.path.join(
                        cd.format_path(cd.autograded_directory, r.student, name), "*.ipynb"
                    )
                )
            )
            for r in report.results
        )
        report.seconds = time.perf_counter() - started
    return reports


#: Warnings stock nbgrader triggers that say nothing to an instructor: SQLAlchemy 2's
#: "not in session" on every learner's first submission (nbgrader adds the object
#: itself), and nbformat's "missing an id" for the test cells nbgrader puts back.
KNOWN_WARNINGS = (".*not in session.*", "Cell is missing an id field.*")


@contextlib.contextmanager
def quiet_known_warnings() -> Iterator[None]:
    """Hide :data:`KNOWN_WARNINGS` for the duration of a block."""
    with warnings.catch_warnings():
        for message in KNOWN_WARNINGS:
            warnings.filterwarnings("ignore", message=message)
        yield


def _prepare_gradebook(app: Any, assignment: str) -> None:
    """Make sure the gradebook knows the assignment before workers copy it."""
    from nbgrader.api import Gradebook, MissingEntry

    from endtrafficking.errors import CourseInputError

    with Gradebook(app.coursedir.db_url, app.coursedir.course_id) as gb:
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            raise CourseInputError(
                f"the gradebook has no assignment {assignment!r}.",
                fix=f"generate it first: endtrafficking grade --assignment {assignment} "
                "(or nbgrader generate_assignment).",
                file=app.coursedir.db_url,
            ) from None


def _write_grades(
    app: Any,
    converter_class: type,
    assignment: str,
    student: str,
    steps: list[Any],
    scratch: Path,
    result: LearnerResult,
) -> LearnerResult:
    """Keep a worker's grades of one learner, or grade the learner here if it failed."""
    from nbgrader.api import MissingEntry
    from nbgrader.converters import NbGraderException

    started = time.perf_counter()
    cd = app.coursedir
    try:
        if result.ok:
            try:
                _adopt(cd, assignment, student, scratch / "executed", result.gradebook)
            except (MissingEntry, OSError) as exc:
                result.ok = False
                result.error = f"keeping the worker's grades: {exc.__class__.__name__}: {exc}"
        if not result.ok:
            result.executed_by = "main"
            result.flags = _grade_here(app, converter_class, assignment, student, steps)
        record_flags(Path(cd.root), assignment, student, result.flags)
        result.ok = True
    except (NbGraderException, SystemExit) as exc:  # recorded; the other learners go on
        result.ok = False
        result.error = result.error or f"{exc.__class__.__name__}: {exc}"
    result.seconds += time.perf_counter() - started
    return result


def _adopt(cd: Any, assignment: str, student: str, executed: Path, gradebook: str) -> None:
    """Copy a worker's grades into the course gradebook, then move its notebooks into place."""
    copy_submission(gradebook, cd.db_url, cd.course_id, assignment, student)
    dest = Path(cd.format_path(cd.autograded_directory, student, assignment))
    if dest.exists():
        shutil.rmtree(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(executed / student / assignment), dest)


def _grade_here(
    app: Any, converter_class: type, assignment: str, student: str, steps: list[Any]
) -> list[str]:
    """nbgrader's Autograde for one learner, in this process; the grader's disagreements."""
    cd = app.coursedir
    cd.assignment_id = assignment
    cd.student_id = student
    converter = converter_class(coursedir=cd, parent=app)
    converter.force = True
    converter.autograde_preprocessors = list(steps)
    with working_directory(cd.root):
        converter.start()
        return apply_verdicts(cd, assignment, student)
