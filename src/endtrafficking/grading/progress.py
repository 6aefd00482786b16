"""Progress lines for the long steps of the grading pipeline.

On a terminal the current line is rewritten in place; in a log (CI, a file,
a notebook) a line is printed at most every few seconds and at the end, so a
cohort of 200 does not fill the log with 200 lines.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

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
