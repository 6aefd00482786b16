"""Time from opening a module in the course view to its exercise being usable, in Chromium.

A real JupyterLab server (with Voila as a server extension, as ``make course``
runs it) serves a temporary copy of the course. For each module, a new page of
one browser profile (so, as for a learner going from page to page, the sign-in
cookie and Voila's scripts are in the browser's cache after the first page) opens ``/voila/render/modules/<module>.ipynb`` and the clock stops when the
module's main exercise has drawn itself and every widget on the page is drawn
(no "Loading widget..." left): the moment a learner can use it. Each module is
opened ``--repeat`` times (a fresh kernel every time, as Voila gives every visit)
and the median is kept. Between two openings the learner spends ``--read``
seconds on a page (5 by default; a learner reads a module for minutes): time
in which the server warms a kernel for the next page, as it does in use. The
learner's working folder starts empty.

The LAST line is the key figure:

    course view: slowest module median X.X s (target <= 3 s); ...

Run: ``.venv/bin/python -m benchmarks.course_view_open [--repeat N]`` from the
repository root (it needs Debian's Chromium at /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.lab_server import copy_course, start_lab

TARGET_SECONDS = 3.0
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
#: Each module, and the class of the exercise a learner came for.
EXERCISES = {
    "00_welcome": "et-knowledge-check",
    "01_strategy": "et-model-mapping",
    "02_possibility": "et-inventory",
    "03_context": "et-assessment",
    "04_engage": "et-action-plan",
    "06_finish": "et-finish",
}
READY_JS = """
(cls) => {
  const cells = document.querySelector('#rendered_cells');
  if (!cells || cells.style.display === 'none') return false;
  const exercise = cells.querySelector('.' + cls);
  return Boolean(exercise && exercise.getBoundingClientRect().height > 0)
    && !cells.innerText.includes('Loading widget');
}
"""


def open_once(context, url: str, css_class: str) -> float:
    """Seconds from navigation to the exercise being usable, in a new page of ``context``."""
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_function(READY_JS, arg=css_class, timeout=120_000, polling=50)
        return time.perf_counter() - start
    finally:
        page.close()


def main() -> None:
    """Open every module ``--repeat`` times and print the medians, slowest last."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="openings per module (median kept)")
    parser.add_argument(
        "--read",
        type=float,
        default=5.0,
        help="seconds spent on a page before opening the next (a learner reads it)",
    )
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="endtrafficking-course-view-"))
    server = start_lab(copy_course(tmp / "course"), tmp / "state")
    medians: dict[str, float] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            # One browser profile, as a learner has: the sign-in cookie and the page's
            # scripts are cached after the first page, as they are when moving page to page.
            context = browser.new_context(viewport={"width": 1366, "height": 900})
            warm = f"{server.base_url}/voila/render/modules/00_welcome.ipynb?token={server.token}"
            open_once(context, warm, EXERCISES["00_welcome"])
            for module, css_class in EXERCISES.items():
                url = f"{server.base_url}/voila/render/modules/{module}.ipynb?token={server.token}"
                times = []
                for _ in range(args.repeat):
                    time.sleep(args.read)
                    times.append(open_once(context, url, css_class))
                medians[module] = statistics.median(times)
                spread = ", ".join(f"{t:.2f}" for t in times)
                print(f"{module}: median {medians[module]:.2f} s (runs: {spread})", flush=True)
            browser.close()
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    slowest = max(medians, key=medians.get)
    every = "; ".join(f"{m} {s:.2f}" for m, s in medians.items())
    print(f"pages opened {args.read:.0f} s apart, {args.repeat} times each")
    print(
        f"course view: slowest module median {medians[slowest]:.2f} s ({slowest}) "
        f"(target <= {TARGET_SECONDS:.0f} s); medians: {every}"
    )


if __name__ == "__main__":
    main()
