"""Progress lines of the long grading steps."""

from __future__ import annotations

import io

from endtrafficking.grading import progress


def test_log_gets_first_and_last_lines_only(monkeypatch) -> None:
    """In a log, are lines throttled, with the last one always printed?"""
    out = io.StringIO()
    bar = progress.Progress("autograde 03_context", 3, out)
    for _ in range(3):
        bar.update()
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("autograde 03_context: 1/3 (33%)")
    assert lines[-1].startswith("autograde 03_context: 3/3 (100%)")
    assert len(lines) == 2


def test_estimate_and_notes() -> None:
    """Does a line give the time left and how many learners need a look?"""
    bar = progress.Progress("feedback", 4, io.StringIO())
    bar.update(1, note=True)
    assert "about" in bar.line() and "1 to look at" in bar.line()


def test_clock() -> None:
    """Are durations written as minutes and seconds?"""
    assert progress._clock(75) == "1m15s" and progress._clock(4.4) == "4s"
