"""Grade the cohort in one command: generate, collect, autograde, feedback, export.

Run it after learners have submitted, and again after manual grading in
formgrader. Submissions come from the hub's exchange, or from a zip or folder
downloaded from a learning management system (one assignment at a time).
Everything it writes is in the course folder: submitted/, autograded/,
feedback/ and exports/ (grades.csv, lms_grades.csv, cohort_summary.html,
certificates/). See course/INSTRUCTORS.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path

NAME = "grade"
HELP = "the instructor's grading run: generate, collect, autograde, feedback, export"


def default_course() -> Path:
    """The course root: ``course/`` of this repository."""
    from endtrafficking.paths import course_dir

    return course_dir()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``endtrafficking grade``."""
    parser.add_argument(
        "--course",
        type=Path,
        metavar="DIR",
        default=None,
        help="the nbgrader course root (default: this repository's course/ folder)",
    )
    parser.add_argument(
        "--assignment",
        action="append",
        metavar="NAME",
        help="grade only this assignment (repeat for several; default: all in source/)",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--from-zip", type=Path, metavar="ZIP", help="collect from a zip downloaded from an LMS"
    )
    source.add_argument(
        "--from-folder", type=Path, metavar="DIR", help="collect from a folder of submissions"
    )
    source.add_argument(
        "--exchange", action="store_true", help="collect from the JupyterHub exchange"
    )
    parser.add_argument(
        "--student", action="append", metavar="ID", help="only this learner (repeat for several)"
    )
    parser.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        default=None,
        help="worker processes (default: two per core)",
    )
    parser.add_argument(
        "--force", action="store_true", help="regenerate and regrade even what is up to date"
    )
    parser.add_argument(
        "--release-feedback",
        action="store_true",
        help="also return feedback to learners through the exchange",
    )
    parser.add_argument(
        "--pass-mark",
        type=float,
        metavar="SHARE",
        default=None,
        help="share of all points needed for a certificate (default: course.yaml's pass_mark)",
    )
    parser.add_argument(
        "--unsandboxed",
        action="store_true",
        help="run learners' code without the sandbox (only for trusted submissions; "
        "the summary and lms_grades.csv say so)",
    )


def run(args: argparse.Namespace) -> int:
    """Run the pipeline; exit status 1 when a learner could not be graded at all."""
    from endtrafficking.grading.pipeline import GradeOptions
    from endtrafficking.grading.pipeline import run as run_pipeline

    options = GradeOptions(
        root=args.course or default_course(),
        assignments=args.assignment,
        from_zip=args.from_zip,
        from_folder=args.from_folder,
        exchange=args.exchange,
        students=args.student,
        jobs=args.jobs,
        force=args.force,
        release_feedback=args.release_feedback,
        pass_mark=args.pass_mark,
        unsandboxed=args.unsandboxed,
    )
    report = run_pipeline(options)
    return 1 if any(graded.failed for graded in report.autograded) else 0
