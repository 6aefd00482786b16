"""Visual regression: every exercise, empty, partly filled and complete, at 1024 and 1366 px.

One course-view server; each exercise starts from an empty working folder in a
fresh browser page, so no test depends on another having run first; the states
are reached by clicking and typing in the page, as a learner does. Each screenshot is clipped
to the exercise (the "Saved at" time masked, the caret hidden) and compared
with its reference in ``tests/browser/visual_refs/`` (see :mod:`visual_compare`).
``pytest tests/browser/test_visual_exercises.py --update-visual`` rewrites the
references on purpose: look at them before committing.

In every state and at both widths, no drop-down, button or label may be cut off
(:func:`cut_off_labels`): nothing a learner picks is shown as "Check my ans...".
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator

import pytest
from browser_support import new_page
from course_view_ui import CourseView
from lab_server import LabServer, copy_course, start_lab
from playwright.sync_api import Browser, Locator, Page
from visual_compare import check_visual

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(600)]

WIDTHS = (1024, 1366)
#: Changing parts of a page: painted over before comparing.
MASKED = ".et-saved, time"
SETTLE_MS = 600

Step = Callable[[Page, Locator], None]
#: Resolves when the exercise has not changed for three polls in a row (its answer is in).
SETTLED_JS = """
async (el) => {
  let last = '', same = 0;
  for (let i = 0; i < 60 && same < 3; i++) {
    await new Promise(r => setTimeout(r, 200));
    same = el.innerHTML === last ? same + 1 : 0;
    last = el.innerHTML;
  }
}
"""


def _rate(card: Locator, label: str) -> None:
    card.locator(".widget-toggle-button", has_text=label).first.click()


def assessment_partly(page: Page, root: Locator) -> None:
    """Rate three indicators of the first section and note some evidence."""
    cards = root.locator(".et-card:visible")
    for n, label in enumerate(("3 Strong", "1 Emerging", "2 Established")):
        _rate(cards.nth(n), label)
    root.get_by_label("PRE1 evidence").fill("Awareness sessions in two schools (aggregate).")


def assessment_complete(page: Page, root: Locator) -> None:
    """Rate every indicator of every focus area, then come back to the first section."""
    labels = ("3 Strong", "2 Established", "1 Emerging", "0 Absent", "2 Established")
    for area in range(6):
        cards = root.locator(".et-card:visible")
        for n in range(cards.count()):
            _rate(cards.nth(n), labels[(n + area) % len(labels)])
        page.wait_for_timeout(200)
        if area < 5:
            root.get_by_role("button", name="Next section").click()
            page.wait_for_timeout(SETTLE_MS)
    root.get_by_label("Section").select_option(label="Prevention")


def inventory_add(name: str, areas: tuple[int, ...]) -> Step:
    """Add one (fictional) organization serving ``areas`` (positions of the tick boxes)."""

    def step(page: Page, root: Locator) -> None:
        root.get_by_role("textbox", name="Organization").fill(name)
        root.get_by_role("textbox", name="Sector").fill("Community services")
        boxes = root.locator(".widget-checkbox input")
        for index in areas:
            boxes.nth(index).check()
        root.get_by_role("textbox", name="Service").fill("Drop-in advice")
        page.wait_for_timeout(300)
        root.get_by_role("button", name="Add as new entry").click()

    return step


def inventory_complete(page: Page, root: Locator) -> None:
    """Two more organizations, so that every focus area has one."""
    inventory_add("Harbour Youth Centre (fictional)", (2, 3))(page, root)
    page.wait_for_timeout(SETTLE_MS)
    inventory_add("Valley Legal Aid (fictional)", (4, 5))(page, root)


def mapping_partly(page: Page, root: Locator) -> None:
    """Tick a few focus areas of the first model."""
    boxes = root.locator(".widget-checkbox input")
    for index in (2, 7, 13):
        boxes.nth(index).check()


def mapping_complete(page: Page, root: Locator) -> None:
    """Tick an area for every part, then check the mapping."""
    boxes = root.locator(".widget-checkbox input")
    for index in range(18, boxes.count(), 7):
        boxes.nth(index).check()
    root.get_by_role("button", name="Check my mapping").click()


def action_example(page: Page, root: Locator) -> None:
    """Practise with the fictional example community."""
    root.get_by_role("button", name="Use the fictional example community").click()
    root.get_by_text("Action plan for Elderbrook County").wait_for()


def action_complete(page: Page, root: Locator) -> None:
    """Write a goal and a first step for the first action."""
    root.get_by_label("Goal").first.fill("Every school has a named contact for concerns.")
    root.get_by_label("First step").first.fill("Ask the district for a list of schools.")


def role_rated(page: Page, root: Locator) -> None:
    """Give a quick rating to each point."""
    for n, select in enumerate(root.locator(".widget-dropdown select").all()):
        options = select.locator("option").all_inner_texts()
        select.select_option(label=options[1 + n % (len(options) - 1)])


def role_built(page: Page, root: Locator) -> None:
    """Build the plan from the ratings."""
    root.get_by_role("button", name="Build my plan from these ratings").click()
    root.get_by_text("Action 3").wait_for()


def reflection_text(text: str) -> Step:
    """Type a reflection."""

    def step(page: Page, root: Locator) -> None:
        root.get_by_role("textbox").fill(text)

    return step


def check_choose(page: Page, root: Locator) -> None:
    """Choose the second answer."""
    root.locator("input[type='radio']").nth(1).check()


def check_checked(page: Page, root: Locator) -> None:
    """Check the answer: the feedback appears."""
    root.get_by_role("button", name="Check my answer").click()
    root.get_by_text("You chose this").first.wait_for()


#: (page, exercise class, [(state, step to reach it from the previous state)])
EXERCISES: list[tuple[str, str, list[tuple[str, Step | None]]]] = [
    (
        "modules/04_engage.ipynb",
        "et-action-plan",
        [("empty", None), ("partly", action_example), ("complete", action_complete)],
    ),
    (
        "engage_lessons/01_educators.ipynb",
        "et-role-plan",
        [("empty", None), ("partly", role_rated), ("complete", role_built)],
    ),
    (
        "modules/00_welcome.ipynb",
        "et-knowledge-check",
        [("empty", None), ("partly", check_choose), ("complete", check_checked)],
    ),
    (
        "modules/00_welcome.ipynb",
        "et-reflection",
        [
            ("empty", None),
            ("partly", reflection_text("Our school could name a contact.")),
            (
                "complete",
                reflection_text(
                    "Our school could name a contact for concerns, and the youth club "
                    "could run an awareness session with the health department."
                ),
            ),
        ],
    ),
    (
        "modules/01_strategy.ipynb",
        "et-model-mapping",
        [("empty", None), ("partly", mapping_partly), ("complete", mapping_complete)],
    ),
    (
        "modules/02_possibility.ipynb",
        "et-inventory",
        [
            ("empty", None),
            ("partly", inventory_add("Riverside Family Clinic (fictional)", (0, 1))),
            ("complete", inventory_complete),
        ],
    ),
    (
        "modules/03_context.ipynb",
        "et-assessment",
        [("empty", None), ("partly", assessment_partly), ("complete", assessment_complete)],
    ),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """One course-view server for every exercise."""
    tmp = tmp_path_factory.mktemp("visual")
    lab = start_lab(copy_course(tmp / "course"), tmp / "state")
    try:
        yield lab
    finally:
        lab.stop()


@pytest.fixture
def course(browser: Browser, server: LabServer) -> Iterator[CourseView]:
    """A fresh browser page over an empty working folder: a learner who has done nothing yet."""
    shutil.rmtree(server.work_dir, ignore_errors=True)
    server.work_dir.mkdir()
    page = new_page(browser, [])
    try:
        yield CourseView(page, server)
    finally:
        page.context.close()


#: Where the exercise ends, in page pixels: Voila scrolls #rendered_cells, not the window.
BOTTOM_JS = """
el => {
  const cells = document.querySelector('#rendered_cells');
  return el.getBoundingClientRect().bottom + cells.scrollTop;
}
"""
TO_TOP_JS = "() => { document.activeElement?.blur(); document.querySelector('#rendered_cells').scrollTop = 0; }"


#: Drop-downs, buttons and labels whose text does not fit: a sentence for each.
CUT_OFF_JS = """
root => {
  const measure = document.createElement('canvas').getContext('2d');
  const cut = [];
  for (const el of root.querySelectorAll('select, button, .widget-label, label')) {
    if (!el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    let text = el.textContent.trim(), need = el.scrollWidth, room = el.clientWidth;
    if (el.tagName === 'SELECT') {
      if (el.multiple || el.size > 1 || el.selectedIndex < 0) continue;
      text = el.options[el.selectedIndex].text.trim();
      measure.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      need = measure.measureText(text).width;
      room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    }
    if (text && need > room + 1) {
      cut.push(`${el.tagName.toLowerCase()} "${text}" needs ${Math.ceil(need)} px, has ${Math.floor(room)} px`);
    }
  }
  return cut;
}
"""


def cut_off_labels(root: Locator) -> list[str]:
    """What is cut off in the exercise as shown now (select text measured in its own font)."""
    return list(root.evaluate(CUT_OFF_JS))


def stepper_problems(root: Locator) -> list[str]:
    """The assessment's Previous and Next buttons sit side by side in the section menu's row."""
    menu = root.get_by_label("Section").bounding_box()
    previous = root.get_by_role("button", name="Previous section").bounding_box()
    following = root.get_by_role("button", name="Next section").bounding_box()
    assert menu and previous and following, "the section menu or its buttons are not shown"
    middles = [box["y"] + box["height"] / 2 for box in (menu, previous, following)]
    in_row = max(middles) - min(middles) <= 8
    if in_row and menu["x"] < previous["x"] < following["x"]:
        return []
    return [f"stepper not in one row: {menu}, {previous}, {following}"]


#: Layout checks beyond the screenshot, by exercise class.
LAYOUT_CHECKS: dict[str, Callable[[Locator], list[str]]] = {"et-assessment": stepper_problems}


def shoot(page: Page, root: Locator, width: int) -> bytes:
    """The exercise at ``width`` px, whole (the window as tall as the page), caret hidden."""
    page.set_viewport_size({"width": width, "height": 900})
    page.evaluate(TO_TOP_JS)
    page.wait_for_timeout(250)
    bottom = root.evaluate(BOTTOM_JS)
    page.set_viewport_size({"width": width, "height": int(min(bottom + 40, 9000))})
    page.evaluate(TO_TOP_JS)
    page.wait_for_timeout(300)
    png = root.screenshot(
        animations="disabled", caret="hide", mask=[root.locator(MASKED)], mask_color="#bbbbbb"
    )
    page.set_viewport_size({"width": width, "height": 900})
    return png


@pytest.mark.parametrize(
    ("path", "css_class", "states"), EXERCISES, ids=[cls for _p, cls, _s in EXERCISES]
)
def test_exercise_looks_as_designed(
    path: str,
    css_class: str,
    states: list[tuple[str, Step | None]],
    course: CourseView,
    request: pytest.FixtureRequest,
) -> None:
    """Does each state look like its reference at 1024 and 1366 px, with no label cut off?"""
    update = bool(request.config.getoption("--update-visual", default=False))
    course.page.set_viewport_size({"width": 1366, "height": 900})
    course.open(path)
    root = course.widget(css_class).first
    problems = []
    for state, step in states:
        if step is not None:
            step(course.page, root)
            root.evaluate(SETTLED_JS)
        for width in WIDTHS:
            name = f"{css_class.removeprefix('et-')}-{state}-{width}"
            problem = check_visual(shoot(course.page, root, width), name, update)
            if problem:
                problems.append(problem)
            problems += [f"{name}: cut off: {cut}" for cut in cut_off_labels(root)]
            if css_class in LAYOUT_CHECKS:
                problems += [f"{name}: {p}" for p in LAYOUT_CHECKS[css_class](root)]
    assert not problems, "\n".join(problems)
