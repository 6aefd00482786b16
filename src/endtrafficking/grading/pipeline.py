"""The instructor's whole grading run: generate, collect, autograde, feedback, export.

``endtrafficking grade`` (and ``make grade``) call :func:`run`. Each step is
nbgrader's own work, driven from here so that one command does all of it,
shows progress, and grades learners in parallel:

1. **generate** - ``generate_assignment`` for every assignment whose source
   changed since its release (or that the gradebook does not know yet);
2. **collect** - from the hub's exchange, or from an LMS download
   (``--from-zip`` / ``--from-folder``, one assignment at a time);
3. **autograde** - every new or resubmitted submission, in parallel
   (:mod:`.parallel`);
4. **feedback** - one HTML page per learner and assignment (:mod:`.feedback`);
5. **export** - ``exports/grades.csv`` (nbgrader's own export) and
   ``exports/lms_grades.csv`` (one row per learner, for an LMS), the cohort
   summary (:mod:`.summary`) and the certificates (:mod:`.certificates`).

Manual grading of the reflections happens in between, in formgrader; run the
pipeline again afterwards and the feedback, exports and certificates are
brought up to date (nothing already graded is graded again).
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from endtrafficking.errors import CourseInputError
from endtrafficking.grading import (
    certificates,
    collect,
    feedback,
    integrity,
    parallel,
    results,
    sandbox,
    summary,
)
from endtrafficking.grading.nbgrader_apps import check_course_root, load_app, working_directory
from endtrafficking.grading.progress import Progress, closing_summary
from endtrafficking.grading.sources import check_sources, needs_generating, source_assignments
from endtrafficking.safe_save import atomic_write

EXPORTS = "exports"
GRADES_CSV = "grades.csv"
LMS_CSV = "lms_grades.csv"
LOG_FILE = "grading.log"
#: Which scores each learner's feedback was last written for (see do_feedback).
FEEDBACK_STATE = ".feedback_state.json"


@dataclass
class GradeOptions:
    """What one run of the pipeline does."""

    root: Path
    assignments: list[str] | None = None  # None: every assignment in source/
    from_zip: Path | None = None
    from_folder: Path | None = None
    exchange: bool = False
    students: list[str] | None = None
    jobs: int | None = None
    force: bool = False
    release_feedback: bool = False
    pass_mark: float | None = None
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    unsandboxed: bool = False  # run learners' code without the sandbox (said everywhere)


@dataclass
class PipelineReport:
    """What the run did, step by step; ``problems`` lists what needs a person."""

    generated: list[str] = field(default_factory=list)
    collected: list[collect.CollectReport] = field(default_factory=list)
    autograded: list[parallel.AutogradeReport] = field(default_factory=list)
    feedback: list[feedback.FeedbackReport] = field(default_factory=list)
    outputs: dict[str, Path] = field(default_factory=dict)
    certificates: certificates.CertificateReport | None = None
    problems: list[str] = field(default_factory=list)
    tampering: list[str] = field(default_factory=list)
    sandboxed: bool = True
    seconds: float = 0.0


# --------------------------------------------------------------------------- steps
def generate(options: GradeOptions, assignments: list[str], out: TextIO) -> list[str]:
    """Run ``generate_assignment`` where needed; return the assignments generated."""
    from nbgrader.apps import GenerateAssignmentApp

    root = options.root
    check_sources(root, assignments)
    with results.open_gradebook(results.db_url(root)) as gb:
        known = {a.name for a in gb.assignments}
    todo = [a for a in assignments if options.force or needs_generating(root, a, known)]
    progress = Progress("generate", len(todo), out)
    for name in todo:
        app = load_app(
            root,
            GenerateAssignmentApp,
            [name, "--force"],
            overrides=options.overrides,
            log_file=log_path(options),
        )
        with working_directory(root):
            try:
                app.start()
            except SystemExit as exc:
                raise CourseInputError(
                    f"nbgrader could not generate the assignment {name!r} (see the messages above).",
                    fix="check the notebooks in its source folder with nbgrader validate.",
                    file=root / "source" / name,
                ) from exc
        progress.update()
    return todo


def _exchange_configured(options: GradeOptions) -> bool:
    from nbgrader.apps import CollectApp

    app = load_app(options.root, CollectApp, overrides=options.overrides)
    root = app.config.get("Exchange", {}).get("root", "/srv/nbgrader/exchange")
    return Path(str(root)).is_dir()


def do_collect(
    options: GradeOptions, assignments: list[str], out: TextIO
) -> list[collect.CollectReport]:
    """Collect from the download given, or from the exchange when asked (or configured)."""
    reports = []
    if options.from_zip or options.from_folder:
        if len(assignments) != 1:
            raise CourseInputError(
                "a download from a learning management system holds one assignment.",
                fix="name it with --assignment, for example --assignment 03_context.",
            )
        name = assignments[0]
        if options.from_zip:
            report = collect.collect_from_zip(options.root, name, options.from_zip)
        else:
            report = collect.collect_from_folder(options.root, name, options.from_folder)
        reports.append(report)
    elif options.exchange or _exchange_configured(options):
        progress = Progress("collect (exchange)", len(assignments), out)
        for name in assignments:
            reports.append(collect.collect_from_exchange(options.root, name, options.overrides))
            progress.update()
    for report in reports:
        out.write(
            f"collected {report.assignment} from {report.source}: {len(report.students)} learner(s)"
            + (
                f"; kept newer earlier submissions of {', '.join(report.skipped_older)}"
                if report.skipped_older
                else ""
            )
            + "\n"
        )
        for note in report.notes:
            out.write(f"  note: {note}\n")
    return reports


def log_path(options: GradeOptions) -> Path:
    """Where nbgrader's own messages go during a run (``exports/grading.log``)."""
    return options.root / EXPORTS / LOG_FILE


def do_autograde(
    options: GradeOptions, assignments: list[str], out: TextIO
) -> list[parallel.AutogradeReport]:
    """Autograde every assignment in one pool of workers, with a progress line each."""
    submitted = [a for a in assignments if list(options.root.glob(f"submitted/*/{a}"))]
    bars = {name: Progress(f"autograde {name}", 0, out) for name in submitted}

    def tick(name: str, done: int, total: int, result: parallel.LearnerResult) -> None:
        bar = bars[name]
        bar.total = total
        if result.incidents:
            bar.message(f"  {name}, {result.student}: " + "; ".join(result.incidents))
        if not result.ok:
            bar.message(f"  {name}, {result.student}: could not be graded: {result.error}")
        bar.update(done, note=bool(result.incidents or not result.ok))

    reports = parallel.autograde_many(
        options.root,
        submitted,
        students=options.students,
        jobs=options.jobs,
        force=options.force,
        progress=tick,
        overrides=options.overrides,
        log_file=log_path(options),
    )
    for name, report in reports.items():
        if report.skipped and not report.results:
            out.write(f"autograde {name}: nothing new ({len(report.skipped)} already graded)\n")
    return list(reports.values())


def _read_state(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def do_feedback(
    options: GradeOptions,
    assignments: list[str],
    graded: list[parallel.AutogradeReport],
    out: TextIO,
) -> list[feedback.FeedbackReport]:
    """Feedback for every graded learner. It is written again for a learner who was
    regraded, or whose scores or comments changed since (manual grading in formgrader)."""
    regraded = {(r.assignment, x.student) for r in graded for x in r.results}
    state_file = options.root / EXPORTS / FEEDBACK_STATE
    previous = _read_state(state_file)
    current = results.submission_fingerprints(results.db_url(options.root))
    jobs = []
    for name in assignments:
        for student in feedback.graded_students(options.root, name):
            if options.students is None or student in options.students:
                changed = previous.get(f"{name}/{student}") != current.get((name, student))
                force = options.force or changed or (name, student) in regraded
                jobs.append(feedback.FeedbackJob(name, student, force))
    bars = {
        name: Progress(f"feedback {name}", sum(j.assignment == name for j in jobs), out)
        for name in dict.fromkeys(j.assignment for j in jobs)
    }

    def tick(name: str, done: int, _total: int) -> None:
        bars[name].update(done)

    reports = feedback.generate_feedback(
        options.root,
        jobs,
        workers=options.jobs,
        progress=tick,
        overrides=options.overrides,
        log_file=log_path(options),
    )
    written = {(name, s) for name, r in reports.items() for s in r.students}
    state = {
        f"{name}/{student}": fingerprint
        for (name, student), fingerprint in current.items()
        if (name, student) in written or previous.get(f"{name}/{student}") == fingerprint
    }
    atomic_write(state_file, json.dumps(state, indent=1, sort_keys=True), keep_backup=False)
    if options.release_feedback:
        from nbgrader.apps import ReleaseFeedbackApp

        for name in reports:
            app = load_app(options.root, ReleaseFeedbackApp, [name], overrides=options.overrides)
            with working_directory(options.root):
                app.start()
    return list(reports.values())


def export(options: GradeOptions, out: TextIO) -> dict[str, Path]:
    """grades.csv (nbgrader's export) and lms_grades.csv (one row per learner)."""
    from nbgrader.apps import ExportApp

    folder = options.root / EXPORTS
    folder.mkdir(exist_ok=True)
    grades = folder / GRADES_CSV
    app = load_app(
        options.root,
        ExportApp,
        ["--to", str(grades)],
        overrides=options.overrides,
        log_file=log_path(options),
    )
    with working_directory(options.root):
        app.start()
    _title, configured = certificates.course_settings(options.root)
    mark = configured if options.pass_mark is None else options.pass_mark
    lms = atomic_write(
        folder / LMS_CSV,
        results.lms_table(options.root, mark, not options.unsandboxed).to_csv(index=False),
        keep_backup=False,
    )
    return {"grades": grades, "lms": lms}


# --------------------------------------------------------------------------- the run
def run(options: GradeOptions, out: TextIO | None = None) -> PipelineReport:
    """Run every step for ``options``; print progress and a closing summary to ``out``.

    One run at a time per course (:func:`~.integrity.grading_lock`).
    """
    out = out or sys.stdout
    options.root = check_course_root(options.root)
    with integrity.grading_lock(options.root):
        return _run(options, out)


def _run(options: GradeOptions, out: TextIO) -> PipelineReport:
    started = time.perf_counter()
    every = source_assignments(options.root)
    wanted = options.assignments or every
    unknown = [a for a in wanted if a not in every]
    if unknown:
        raise CourseInputError(
            f"no assignment called {', '.join(map(repr, unknown))} in source/.",
            fix=f"use one of {', '.join(every)}.",
            file=options.root / "source",
        )
    sandbox.apply(options.overrides, options.unsandboxed)
    report = PipelineReport(sandboxed=not options.unsandboxed)
    report.generated = generate(options, wanted, out)
    report.collected = do_collect(options, wanted, out)
    before = integrity.snapshot(options.root)
    url = results.db_url(options.root)
    grades_before = results.submission_fingerprints(url)
    report.autograded = do_autograde(options, wanted, out)
    graded = {(r.assignment, x.student) for r in report.autograded for x in r.results}
    report.tampering = integrity.changes(before, integrity.snapshot(options.root), set())
    report.tampering += integrity.gradebook_changes(
        grades_before, results.submission_fingerprints(url), graded
    )
    report.feedback = (
        do_feedback(options, wanted, report.autograded, out) if not report.tampering else []
    )
    if report.tampering:
        out.write(closing_summary(report))
        raise integrity.CourseTampered(
            "grading changed files it must never change: " + "; ".join(report.tampering) + ".",
            fix="restore source/ and submitted/ from your copy (git, the LMS download), "
            "find the submission that did it in exports/grading.log, and grade again.",
            file=options.root,
        )
    _write_outputs(options, report, out)
    report.seconds = time.perf_counter() - started
    out.write(closing_summary(report))
    return report


def _write_outputs(options: GradeOptions, report: PipelineReport, out: TextIO) -> None:
    """The exports, the summary and the certificates, readable like the umask says."""
    report.outputs = export(options, out)
    report.outputs["summary"] = summary.write_summary(options.root, options.root / EXPORTS)
    report.certificates = certificates.write_certificates(
        options.root, options.root / EXPORTS, options.pass_mark
    )
    if log_path(options).exists():
        report.outputs["log"] = log_path(options)
    for path in [*report.outputs.values(), *report.certificates.issued.values()]:
        readable_like_umask(path)
    for graded in report.autograded:
        report.problems += [f"{graded.assignment}: {i}" for i in graded.incidents]
        report.problems += [
            f"{graded.assignment}: {r.student} could not be graded ({r.error})"
            for r in graded.failed
        ]
        report.problems += [
            f"{graded.assignment}: {r.student} FLAGGED, the kernel's scores disagree with the "
            f"grader's own check (verified scores kept): {'; '.join(r.flags)}"
            for r in graded.results
            if r.flags
        ]
    for fb in report.feedback:
        report.problems += [
            f"{fb.assignment}: no feedback for {s} ({e})" for s, e in fb.failed.items()
        ]


def readable_like_umask(path: Path) -> None:
    """Give an output the permissions the user's umask asks for.

    Outputs are written atomically through a private temporary file (mode 600);
    on a shared course folder (a hub, with a group-writable umask) the other
    instructors must be able to read them too.
    """
    umask = os.umask(0)
    os.umask(umask)
    path.chmod(0o666 & ~umask)


#: Kept here too: the LMS table is part of this pipeline's exports.
lms_table = results.lms_table
