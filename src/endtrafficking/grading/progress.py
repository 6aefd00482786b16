"""Progress lines for the long steps of the grading pipeline.

On a terminal the current line is rewritten in place; in a log (CI, a file,
a notebook) a line is printed at most every few seconds and at the end, so a
cohort of 200 does not fill the log with 200 lines.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

#: Seconds between progress lines when the output is not a terminal.
LOG_EVERY = 5.0


def _clock(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


class Progress:
    """Report ``done of total`` for one step, with elapsed time and an estimate."""

    def __init__(self, step: str, total: int, stream: TextIO | None = None) -> None:
        self.step = step
        self.total = total
        self.stream = stream or sys.stdout
        self.started = time.perf_counter()
        self.last_print = 0.0
        self.done = 0
        self.notes = 0
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())

    def line(self) -> str:
        """The progress line as it stands."""
        elapsed = time.perf_counter() - self.started
        text = f"{self.step}: {self.done}/{self.total}"
        if self.total:
            text += f" ({100 * self.done / self.total:.0f}%)"
        text += f", {_clock(elapsed)}"
        if 0 < self.done < self.total:
            text += f", about {_clock(elapsed / self.done * (self.total - self.done))} left"
        if self.notes:
            text += f", {self.notes} to look at"
        return text

    def update(self, done: int | None = None, note: bool = False) -> None:
        """Record progress (``done`` items so far, or one more) and maybe print."""
        self.done = self.done + 1 if done is None else done
        self.notes += int(note)
        now = time.perf_counter()
        finished = self.done >= self.total
        if self.live:
            self.stream.write("\r" + self.line() + ("\n" if finished else ""))
            self.stream.flush()
        elif finished or now - self.last_print >= LOG_EVERY:
            self.stream.write(self.line() + "\n")
            self.stream.flush()
            self.last_print = now

    def message(self, text: str) -> None:
        """Print a line of its own (a warning about one learner, say)."""
        if self.live:
            self.stream.write("\r\x1b[K")
        self.stream.write(text + "\n")
        self.stream.flush()


def closing_summary(report: Any) -> str:
    """What was done and where the results are, in a few lines (a :class:`~.pipeline.PipelineReport`)."""
    lines = ["", f"Done in {report.seconds:.0f} s."]
    if not report.sandboxed:
        lines.append(
            "  WARNING: graded WITHOUT the sandbox (--unsandboxed): learners' code ran with "
            "your rights; lms_grades.csv says sandbox=off."
        )
    if report.tampering:
        lines.append(f"  STOPPED: grading changed {len(report.tampering)} guarded file(s):")
        lines += [f"    {t}" for t in report.tampering]
    graded = [g for g in report.autograded if g.results]
    for g in graded:
        lines.append(f"  {g.assignment}: {len(g.results)} submission(s) autograded")
    notebooks = sum(g.notebooks for g in graded)
    if notebooks:
        seconds = max(g.seconds for g in graded)
        lines.append(
            f"  autograding: {notebooks} notebooks in {seconds:.0f} s "
            f"({seconds / notebooks:.2f} s per notebook)"
        )
    for key, label in (
        ("grades", "grades (nbgrader)"),
        ("lms", "grades for an LMS"),
        ("summary", "cohort summary"),
        ("log", "nbgrader's messages"),
    ):
        if key in report.outputs:
            lines.append(f"  {label}: {report.outputs[key]}")
    certs = report.certificates
    if certs is not None:
        lines.append(
            f"  certificates: {len(certs.issued)} issued (pass mark {100 * certs.pass_mark:.0f}%)"
            + (
                f"; {len(certs.waiting_for_manual_grading)} wait for manual grading"
                if certs.waiting_for_manual_grading
                else ""
            )
        )
    if report.problems:
        lines.append(f"  to look at ({len(report.problems)}):")
        lines += [f"    {p}" for p in report.problems]
    return "\n".join(lines) + "\n"
