"""Feedback HTML for every learner, made in parallel.

nbgrader's ``generate_feedback`` turns each autograded notebook into an HTML
page with the learner's scores, the test results and the instructor's
comments, one learner after another. It only *reads* the gradebook, so
several worker processes can do it at once (SQLite allows many readers);
each writes into its own learner's ``feedback/<learner>/<assignment>/``.
"""

from __future__ import annotations

import multiprocessing
import re
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nbconvert.preprocessors import Preprocessor

from endtrafficking.grading.nbgrader_apps import load_app, working_directory
from endtrafficking.grading.parallel import KNOWN_WARNINGS, default_jobs

_WORKER: dict[str, Any] = {}
#: What feedback shows: nbgrader's scores and page style, with the assignment's hidden
#: tests cut out of their cells (a learner may hand in again) and paths scrubbed.
FEEDBACK_PREPROCESSORS = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "endtrafficking.grading.feedback.ScrubPaths",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
#: Paths of the grader's machine that never reach a learner.
PATH_PATTERN = re.compile(r"(?:/[\w.@+-]+){2,}/?")
#: Neutral paths of the sandbox, kept (they say nothing about the course).
KEPT_PREFIXES = ("/submission", "/opt/lib/endtrafficking", "/opt/site-packages", "/opt/python")


def scrub(text: str) -> str:
    """``text`` with every absolute path replaced by ``…/<file name>`` (sandbox paths kept)."""

    def replace(match: re.Match[str]) -> str:
        path = match.group(0)
        if path.startswith(KEPT_PREFIXES):
            return path
        return "…/" + path.rstrip("/").rsplit("/", 1)[-1]

    return PATH_PATTERN.sub(replace, text)


class ScrubPaths(Preprocessor):
    """Remove the grader's paths from every output (tracebacks, printed text)."""

    def preprocess_cell(self, cell: Any, resources: Any, index: int) -> tuple[Any, Any]:
        """Scrub one cell's outputs."""
        for output in cell.get("outputs", []):
            if "traceback" in output:
                output["traceback"] = [scrub(line) for line in output["traceback"]]
            if "evalue" in output:
                output["evalue"] = scrub(output["evalue"])
            if isinstance(output.get("text"), str):
                output["text"] = scrub(output["text"])
            for key, value in dict(output.get("data", {})).items():
                if key.startswith("text/") and isinstance(value, str):
                    output["data"][key] = scrub(value)
        return cell, resources


@dataclass
class FeedbackReport:
    """Which learners got feedback for one assignment, and which could not."""

    assignment: str
    students: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass(frozen=True)
class FeedbackJob:
    """One learner's feedback for one assignment."""

    assignment: str
    student: str
    force: bool = False


def graded_students(root: Path, assignment: str) -> list[str]:
    """The learners whose submission of ``assignment`` has been autograded."""
    return sorted(p.parent.name for p in root.glob(f"autograded/*/{assignment}") if p.is_dir())


def _worker_start(root: str, overrides: dict[str, Any], log_file: str | None) -> None:
    import warnings

    from nbgrader.apps import GenerateFeedbackApp

    for message in KNOWN_WARNINGS:
        warnings.filterwarnings("ignore", message=message)

    app = load_app(root, GenerateFeedbackApp, overrides=overrides, log_file=log_file)
    _WORKER.update(root=root, app=app)


def _worker_feedback(job: FeedbackJob) -> tuple[FeedbackJob, str]:
    """Write one learner's feedback; return the job and an error ("" if none). Never raises."""
    from nbgrader.converters import GenerateFeedback

    app = _WORKER["app"]
    app.coursedir.assignment_id = job.assignment
    app.coursedir.student_id = job.student
    converter = GenerateFeedback(coursedir=app.coursedir, parent=app)
    converter.preprocessors = list(FEEDBACK_PREPROCESSORS)
    converter.force = job.force
    try:
        with working_directory(_WORKER["root"]):
            converter.start()
    except (Exception, SystemExit) as exc:  # reported in the summary; the others go on
        return job, f"{exc.__class__.__name__}: {exc}"
    return job, ""


def generate_feedback(
    root: str | Path,
    jobs: list[FeedbackJob],
    *,
    workers: int | None = None,
    progress: Any = None,
    overrides: dict[str, dict[str, Any]] | None = None,
    log_file: str | Path | None = None,
) -> dict[str, FeedbackReport]:
    """Write the feedback of every job, ``workers`` at a time (default: one per core).

    A learner whose feedback is newer than their autograded work is skipped, as
    nbgrader does, unless the job is forced. ``progress(assignment, done, total)``
    is called after each job. Returns one report per assignment.
    """
    started = time.perf_counter()
    root = Path(root).resolve()
    reports = {j.assignment: FeedbackReport(assignment=j.assignment) for j in jobs}
    totals = {a: sum(j.assignment == a for j in jobs) for a in reports}
    done = dict.fromkeys(reports, 0)
    args = (str(root), dict(overrides or {}), None if log_file is None else str(log_file))

    def record(job: FeedbackJob, error: str) -> None:
        report = reports[job.assignment]
        if error:
            report.failed[job.student] = error
        else:
            report.students.append(job.student)
        done[job.assignment] += 1
        if progress is not None:
            progress(job.assignment, done[job.assignment], totals[job.assignment])

    lost: list[FeedbackJob] = []
    if jobs:
        with ProcessPoolExecutor(
            max_workers=min(max(1, workers or default_jobs()), len(jobs)),
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_worker_start,
            initargs=args,
        ) as pool:
            futures = {pool.submit(_worker_feedback, job): job for job in jobs}
            for future in as_completed(futures):
                try:
                    record(*future.result())
                except Exception:  # the worker process died: done in this process below
                    lost.append(futures[future])
    if lost:
        _worker_start(*args)
        for job in lost:
            record(*_worker_feedback(job))
    for report in reports.values():
        report.students.sort()
        report.seconds = time.perf_counter() - started
    return reports
