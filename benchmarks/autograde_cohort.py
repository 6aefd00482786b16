"""Autograde a synthetic cohort twice: stock serial nbgrader, then the course's parallel grader.

    .venv/bin/python benchmarks/autograde_cohort.py [--learners 30] [--jobs N]

A temporary copy of ``course/`` (the repository is not written) gets every
assignment generated and 30 fictional learners' submissions of every
assignment: most complete, some with wrong answers and incomplete widget
work, some with no work at all, some untouched. The same submissions are
graded twice:

1. stock ``nbgrader autograde <assignment>`` on the command line, one
   assignment after another (nbgrader grades one submission at a time);
2. :func:`endtrafficking.grading.parallel.autograde_many` (worker processes
   execute, one process writes the gradebook, and the scores are the grader's own
   checks), with every kernel in the bubblewrap sandbox, as ``endtrafficking grade``
   runs it.

Both use the course's ``nbgrader_config.py`` (the same executor, timeout and
memory cap). The script checks that the two gradebooks hold identical scores
for every cell of every submission, measures what the sandbox itself costs per
kernel start (sandboxed and plain kernels started one after another), and its LAST
line gives the time per notebook of both runs and the speed-up.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from endtrafficking.grading import parallel, pipeline, reference, results, sandbox
from endtrafficking.grading.kernel import CappedKernelManager
from endtrafficking.grading.work_files import EXERCISES

REPO_COURSE = Path(__file__).resolve().parents[1] / "course"
GENERATED = ("release", "submitted", "autograded", "feedback", "exports", "gradebook.db")
#: Share of learners per kind of submission (the rest are complete).
KINDS = (("partial", 0.3), ("missing_work", 0.1), ("untouched", 0.1))
WRONG = {
    "01_strategy": ("q2_answer", 'q2_people = "5_million"'),
    "02_possibility": ("q3_answer", 'q3_t = "targets"'),
    "03_context": ("q3_answer", 'q3_rating_2 = "strong"'),
    "04_engage": ("q2_answer", 'q2_option = "enhance"'),
}


def prepare(root: Path, learners: int, seed: int) -> int:
    """Copy the course to ``root``, generate it, and hand in every learner's work."""
    shutil.copytree(REPO_COURSE, root, ignore=shutil.ignore_patterns(*GENERATED, ".endtrafficking"))
    assignments = pipeline.source_assignments(root)
    with open(os.devnull, "w") as quiet:
        pipeline.generate(pipeline.GradeOptions(root=root), assignments, quiet)
    rng = random.Random(seed)
    notebooks = 0
    for number in range(1, learners + 1):
        student = f"learner{number:03d}"
        draw, kind = rng.random(), "complete"
        for name, share in KINDS:
            if draw < share:
                kind = name
                break
            draw -= share
        for assignment in assignments:
            folder = reference.write_submission(
                root,
                assignment,
                student,
                answered=kind != "untouched",
                work=kind in ("complete", "partial"),
                timestamp=f"2026-02-0{1 + number % 9} 10:00:00.000000 UTC",
            )
            if kind == "partial":
                _partial(folder, assignment, rng)
            notebooks += len(list(folder.glob("*.ipynb")))
    return notebooks


def _partial(folder: Path, assignment: str, rng: random.Random) -> None:
    """One wrong answer, and one exercise file with part of the work missing."""
    path = folder / "01_knowledge_check.ipynb"
    nb = nbformat.read(path, as_version=4)
    grade, source = WRONG[assignment]
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade:
            cell.source = source
    nbformat.write(nb, path)
    key = reference.ASSIGNMENT_EXERCISES[assignment][-1]
    work = folder / EXERCISES[key].file
    data = json.loads(work.read_text())
    if key == "assessment":
        data["responses"][rng.choice(sorted(data["responses"]))]["rating"] = None
    elif key == "model_mapping":
        data["state"]["checked"] = False
    elif key == "inventory":
        data["state"]["entries"] = data["state"]["entries"][:3]
    else:
        data["state"]["items"][0]["target_date"] = "soon"
    work.write_text(json.dumps(data))


def grade_serially(root: Path) -> float:
    """Stock ``nbgrader autograde``, one assignment after another; seconds taken."""
    env = dict(
        os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
    )
    started = time.perf_counter()
    for assignment in pipeline.source_assignments(root):
        done = subprocess.run(
            [sys.executable, "-m", "nbgrader", "autograde", assignment, "--log-level=ERROR"],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise SystemExit(f"nbgrader autograde {assignment} failed:\n{done.stdout}{done.stderr}")
    return time.perf_counter() - started


def grade_in_parallel(root: Path, jobs: int | None) -> float:
    """The course's parallel grader over every assignment, sandboxed; seconds taken."""
    sandbox.require()
    started = time.perf_counter()
    reports = parallel.autograde_many(
        root,
        pipeline.source_assignments(root),
        jobs=jobs,
        log_file=root / "exports" / "grading.log",
        overrides={"CappedKernelManager": {"sandbox": True}},
    )
    failed = [f"{a}: {r.student}" for a, rep in reports.items() for r in rep.failed]
    if failed:
        raise SystemExit(f"parallel grading failed for {failed}")
    return time.perf_counter() - started


async def _start_once(sandboxed: bool, folder: Path) -> float:
    km = CappedKernelManager(kernel_name="python3", sandbox=sandboxed)
    started = time.perf_counter()
    await km.start_kernel(cwd=str(folder))
    kc = km.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=120)
        await kc.execute_interactive("from endtrafficking.grading import checkpoint", timeout=120)
        return time.perf_counter() - started
    finally:
        kc.stop_channels()
        await km.shutdown_kernel(now=True)


def sandbox_cost(folder: Path, starts: int = 6) -> float:
    """Median extra seconds a sandboxed kernel takes to start and import the checks."""
    import asyncio
    import statistics

    plain = [asyncio.run(_start_once(False, folder)) for _ in range(starts)]
    boxed = [asyncio.run(_start_once(True, folder)) for _ in range(starts)]
    return statistics.median(boxed) - statistics.median(plain)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; the last printed line is the result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=None, help="workers (default: one per core)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    jobs = args.jobs or parallel.default_jobs()
    with tempfile.TemporaryDirectory(prefix="autograde-bench-") as tmp:
        serial_root = Path(tmp, "serial")
        notebooks = prepare(serial_root, args.learners, args.seed)
        parallel_root = Path(tmp, "parallel")
        shutil.copytree(serial_root, parallel_root)
        print(
            f"{args.learners} learners, {notebooks} notebooks, {jobs} workers on {os.cpu_count()} cores"
        )
        serial = grade_serially(serial_root)
        print(f"stock nbgrader autograde (serial): {serial:.1f} s")
        fast = grade_in_parallel(parallel_root, jobs)
        print(f"endtrafficking parallel autograde: {fast:.1f} s")
        a = results.cell_scores(results.db_url(serial_root))
        b = results.cell_scores(results.db_url(parallel_root))
        if not a.equals(b):
            diff = a.compare(b)
            raise SystemExit(f"the gradebooks differ:\n{diff}")
        print(
            f"identical grades: {len(a)} graded cells in {a.groupby(['assignment', 'student']).ngroups} submissions"
        )
        cost = sandbox_cost(next((serial_root / "submitted").glob("*/03_context")))
        print(f"the sandbox's own cost: {cost:.2f} s per kernel start (about one per notebook)")
    print(
        f"serial {serial / notebooks:.2f} s/notebook, parallel {fast / notebooks:.2f} s/notebook, "
        f"speed-up {serial / fast:.2f}x ({notebooks} notebooks, {jobs} workers, sandbox on, "
        "identical grades)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
