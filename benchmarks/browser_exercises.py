"""How fast the exercises answer a learner's action, in real Chromium, in the course view.

A real JupyterLab server (Voila as a server extension, as ``make course`` runs
it) serves a temporary copy of the course; the learner's working folder starts
empty. For each action the clock starts in the page when the learner's click
is dispatched and stops at the first animation frame after the part of the
page that answers has changed (so the answer is on screen, not just in the
kernel). Each action is repeated ``--repeat`` times; the median is kept.

- rating click (03): a rating button -> the radar chart redrawn;
- section switch (03): "Next section"/"Previous section" -> the other section shown
  (1.5 s on each section first, as a learner at least glances at it);
- inventory add (02): "Add as new entry" -> the coverage chart updated;
- model mapping change (01): a tick -> the coverage chart updated;
- knowledge-check feedback (00): "Check my answer" -> the feedback shown.

The LAST line holds both headline figures:

    exercises: rating click median X ms (target <= 150); slowest other action ... (target <= 250)

Run: ``.venv/bin/python -m benchmarks.browser_exercises [--repeat N]`` from the
repository root (it needs Debian's Chromium at /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Locator, Page, sync_playwright

from tests.browser.lab_server import LabServer, copy_course, start_lab

RATING_TARGET_MS = 150.0
OTHER_TARGET_MS = 250.0
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
READY_JS = """
(cls) => {
  const cells = document.querySelector('#rendered_cells');
  if (!cells || cells.style.display === 'none') return false;
  const exercise = cells.querySelector('.' + cls);
  return Boolean(exercise && exercise.getBoundingClientRect().height > 0)
    && !cells.innerText.includes('Loading widget');
}
"""
#: Click ``click``; resolve with the ms until ``watch`` changed (its text shows ``until``,
#: if given) and the next frame was painted.
TIMED_CLICK_JS = """
async ([click, watch, until]) => {
  const target = document.querySelector(watch);
  const button = document.querySelector(click);
  if (!target || !button) throw new Error('missing ' + (target ? click : watch));
  const before = target.innerHTML;
  const done = () => until ? target.innerText.includes(until) : target.innerHTML !== before;
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no change in ' + watch)), 10000);
    const observer = new MutationObserver(() => {
      if (!done()) return;
      observer.disconnect();
      clearTimeout(timer);
      requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
    });
    observer.observe(target, {subtree: true, childList: true, characterData: true,
                              attributes: true});
    const start = performance.now();
    button.click();
  });
}
"""


def timed_click(page: Page, click: str, watch: str, until: str = "") -> float:
    """Milliseconds from clicking ``click`` to the frame after ``watch`` changed."""
    return float(page.evaluate(TIMED_CLICK_JS, [click, watch, until]))


def open_exercise(page: Page, server: LabServer, path: str, css_class: str) -> None:
    """Open a course page and wait until its exercise is usable."""
    page.goto(f"{server.base_url}/voila/render/{path}?token={server.token}")
    page.wait_for_function(READY_JS, arg=css_class, timeout=120_000, polling=100)
    page.wait_for_timeout(1000)


def tag(locator: Locator, name: str) -> str:
    """Mark one element for :func:`timed_click`; its selector."""
    locator.evaluate("(el, n) => el.setAttribute('data-bench', n)", name)
    return f"[data-bench='{name}']"


def rating_clicks(page: Page, repeat: int) -> list[float]:
    """Rate PRE1 to PRE5 in turn, each click moving the chart."""
    times = []
    cards = page.locator(".et-assessment .et-card")
    for n in range(repeat):
        label = ("3 Strong", "1 Emerging", "2 Established")[(n // 5) % 3]
        button = cards.nth(n % 5).locator(".widget-toggle-button", has_text=label)
        times.append(timed_click(page, tag(button, f"rate{n}"), ".et-assessment .et-chart"))
        page.wait_for_timeout(150)
    return times


#: A learner reads a section (here: barely) before going on; meanwhile the next is built.
READ_SECTION_MS = 1500
SECTIONS = [
    "Prevention",
    "Identification",
    "Rescue and response",
    "Restoration",
    "Justice",
    "Partnership",
    "Local context",
    "Safeguards",
]


def section_switches(page: Page, repeat: int) -> list[float]:
    """Every section forward (first visits build their section), then back, until ``repeat``."""
    times: list[float] = []
    at = 0
    while len(times) < max(repeat, 2 * (len(SECTIONS) - 1)):
        forward = (len(times) // (len(SECTIONS) - 1)) % 2 == 0
        name = "Next section" if forward else "Previous section"
        at += 1 if forward else -1
        button = tag(page.locator(".et-assessment").get_by_role("button", name=name), "step")
        heading = f"Step {at + 1} of {len(SECTIONS)}: {SECTIONS[at]}"
        times.append(timed_click(page, button, ".et-assessment .et-assess-cards", heading))
        page.locator(button).evaluate("b => b.removeAttribute('data-bench')")
        page.wait_for_timeout(READ_SECTION_MS)
    print(f"  section switch, first visits: {', '.join(f'{t:.0f}' for t in times[:7])} ms")
    return times


def inventory_adds(page: Page, repeat: int) -> list[float]:
    """Add an organization serving one focus area; the coverage chart moves."""
    times = []
    root = page.locator(".et-inventory")
    for n in range(repeat):
        root.get_by_role("textbox", name="Organization").fill(
            f"Benchmark organization {n} (fictional)"
        )
        root.get_by_role("textbox", name="Sector").fill("Education")
        root.locator(".widget-checkbox input").nth(n % 6).check()
        page.wait_for_timeout(300)
        add = tag(root.get_by_role("button", name="Add as new entry"), f"add{n}")
        times.append(timed_click(page, add, ".et-inventory .et-coverage"))
        page.wait_for_timeout(300)
    return times


def mapping_changes(page: Page, repeat: int) -> list[float]:
    """Tick and untick focus areas of the first model; the coverage chart moves."""
    times = []
    boxes = page.locator(".et-model-mapping .widget-checkbox input")
    for n in range(repeat):
        tick = tag(boxes.nth(n % 6), f"tick{n}")
        times.append(timed_click(page, tick, ".et-model-mapping .et-coverage"))
        page.wait_for_timeout(200)
    return times


def check_feedback(page: Page, repeat: int) -> list[float]:
    """Choose an answer, then "Check my answer"; the feedback appears."""
    times = []
    check = page.locator(".et-knowledge-check").first
    options = check.locator("input[type='radio']")
    for n in range(repeat):
        options.nth(n % options.count()).check()
        page.wait_for_timeout(300)
        button = tag(check.get_by_role("button", name="Check my answer"), f"check{n}")
        # The text changes only when the feedback arrives (not when the button takes focus).
        times.append(timed_click(page, button, ".et-knowledge-check", "You chose this"))
        page.wait_for_timeout(200)
    return times


ACTIONS: dict[str, tuple[str, str, Callable[[Page, int], list[float]]]] = {
    "rating click": ("modules/03_context.ipynb", "et-assessment", rating_clicks),
    "section switch": ("modules/03_context.ipynb", "et-assessment", section_switches),
    "inventory add": ("modules/02_possibility.ipynb", "et-inventory", inventory_adds),
    "model mapping change": ("modules/01_strategy.ipynb", "et-model-mapping", mapping_changes),
    "knowledge-check feedback": ("modules/00_welcome.ipynb", "et-knowledge-check", check_feedback),
}


def main() -> None:
    """Time every action ``--repeat`` times and print the medians, the headline last."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="times per action (median kept)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="endtrafficking-exercises-"))
    server = start_lab(copy_course(tmp / "course"), tmp / "state")
    medians: dict[str, float] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            for name, (path, css_class, run) in ACTIONS.items():
                open_exercise(page, server, path, css_class)
                times = run(page, args.repeat)
                medians[name] = statistics.median(times)
                spread = ", ".join(f"{t:.0f}" for t in times)
                print(f"{name}: median {medians[name]:.0f} ms (runs: {spread})", flush=True)
            browser.close()
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    others = {k: v for k, v in medians.items() if k != "rating click"}
    slowest = max(others, key=others.get)
    print(
        f"exercises: rating click median {medians['rating click']:.0f} ms "
        f"(target <= {RATING_TARGET_MS:.0f}); slowest other action {slowest} median "
        f"{others[slowest]:.0f} ms (target <= {OTHER_TARGET_MS:.0f})"
    )


if __name__ == "__main__":
    main()
