"""The workshop hub as people use it, in real Chromium: a learner and an instructor.

One real hub, started with ``make hub`` through the hub tests' harness
(``tests/hub/harness.py``: configurable-http-proxy, JupyterHub, one system account
per person), serves the repository's course and its checkpoints, with a one-notebook
nbgrader assignment ``ps1`` added, on 127.0.0.1, for both journeys.

- The instructor signs in, lands in JupyterLab, opens formgrader, generates and
  releases ``ps1``.
- The learner signs in with the workshop code (their server starts) and lands in
  the course view: the welcome page rendered by Voila, with no code.
- From JupyterLab the learner fetches ``ps1`` from the Assignments list, answers
  it and submits.
- The instructor collects the submission in formgrader, sees it listed, and
  autogrades it: the learner's answer earns every point.

In the second journey, on the same hub, a learner signs in again,
completes the welcome module in the course view, gets checkpoint ``01_strategy`` on the
course's Checkpoints page, answers its knowledge check with widgets (no code), and hands
it in from that page; the instructor collects and autogrades it, and the grade counts
exactly the right answers.

Needs root (system accounts) and configurable-http-proxy (``make hub-deps``):
under ``CI=true`` their absence fails the test, elsewhere it is skipped.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pytest
from browser_support import missing, new_page, report_failure
from course_view_ui import CourseView
from hub.harness import HubHarness, tiny_notebook
from lab_ui import NOTEBOOK, Lab
from playwright.sync_api import Browser, FrameLocator, Locator, Page, expect
from screenshots import REPO_ROOT, Screenshots

from endtrafficking_hub.credentials import read_code
from endtrafficking_hub.launcher import find_proxy
from endtrafficking_hub.singleuser import SEED_DEST
from endtrafficking_hub.spawner import LEARNER_LANDING

pytestmark = [pytest.mark.browser, pytest.mark.hub, pytest.mark.slow, pytest.mark.timeout(600)]

LEARNER, INSTRUCTOR = "ana", "lead"
ROLES = {LEARNER: "learner", INSTRUCTOR: "instructor"}
PASSWORDS = {LEARNER: "ana-workshop-pass", INSTRUCTOR: "lead-workshop-pass"}
ANSWER = "def double(x):\nreturn 2 * x"  # the editor indents the second line itself
#: The checkpoint the second journey hands in, and what the learner picks for each of its
#: knowledge-check questions: q3 is wrong on purpose, so the grade shows that the grader
#: tells right answers from wrong ones.
CHECKPOINT = "01_strategy"
CHOICES = {
    "q1": "Rescue and response",
    "q2": "About 50 million",
    "q3": "More were in forced marriage",
    "q4": "Prevention",
}
RIGHT_ANSWERS = 3
REFLECTION = "Our coalition could map who already offers shelter before starting anything new."
#: A spawn, a formgrader action or an nbgrader exchange step can take a while on 2 cores.
SLOW_MS = 120_000


SEEDS = [REPO_ROOT / name for name in ("modules", "engage_lessons", "assessments_templates")]


def _running_hub(course: Path, tmp: Path) -> Iterator[Any]:
    """A workshop hub serving ``course`` (nbgrader) and the repository's course folders as
    seed (the hub publishes a copy with links resolved, as for a host)."""
    workshop = HubHarness(
        course_source=course,
        seed_dirs=SEEDS,
        instructors=(INSTRUCTOR,),
        limits={"memory": "2G", "cpu": 1.0},
    )
    try:
        workshop.start()
        yield workshop
    finally:
        workshop.close()
        shutil.rmtree(tmp, ignore_errors=True)


def _needs_hub_tools() -> None:
    if os.geteuid() != 0:
        missing("root", "the hub creates one system account per person; run the tests as root")
    if find_proxy() is None:
        missing("configurable-http-proxy", "run `make hub-deps` (npm install into .node/)")


def course_with_ps1(root: Path) -> Path:
    """The repository's course (its nbgrader settings and checkpoint sources) with the
    one-notebook assignment ``ps1`` of the hub tests added beside its checkpoints."""
    shutil.copytree(REPO_ROOT / "course" / "source", root / "source")
    shutil.copyfile(REPO_ROOT / "course" / "nbgrader_config.py", root / "nbgrader_config.py")
    (root / "source" / "ps1").mkdir()
    nbformat.write(tiny_notebook(), root / "source" / "ps1" / "problem1.ipynb")
    return root


@pytest.fixture(scope="module")
def hub() -> Iterator[Any]:
    """One running workshop hub for both journeys (starting one and spawning two servers
    takes a while), with the repository's course and ``ps1``."""
    _needs_hub_tools()
    tmp = Path(tempfile.mkdtemp(prefix="etw-browser-"))
    yield from _running_hub(course_with_ps1(tmp / "course"), tmp)


def dismiss_news_prompt(page: Page, errors: list[str]) -> None:
    """Record it as a problem if JupyterLab asks about Jupyter news (hub/roles/ switches
    it off), and answer "No" so the rest of the journey can still be checked."""
    prompt = page.get_by_text("Would you like to get notified about official Jupyter news?")

    def answer() -> None:
        errors.append("JupyterLab's news prompt appeared on the hub (it should be off)")
        page.get_by_role("button", name="No", exact=True).click()

    page.add_locator_handler(prompt, answer)


def sign_in(page: Page, base: str, name: str, code: str) -> None:
    """Fill the hub's sign-in form (first sign-in: personal password and workshop code)."""
    page.goto(f"{base}/hub/login")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(PASSWORDS[name])
    page.locator("#otp_input").fill(code)
    page.get_by_role("button", name="Sign in").click()


def check_course_view(page: Page, shots: Screenshots) -> None:
    """The learner's landing page: the welcome module as a page, with no code and no error,
    looked at in both workshop widths."""
    page.wait_for_url(re.compile(rf"/user/{LEARNER}{re.escape(LEARNER_LANDING)}"), timeout=SLOW_MS)
    expect(page.get_by_role("heading", name=re.compile("Welcome")).first).to_be_visible(
        timeout=SLOW_MS
    )
    page.wait_for_load_state("networkidle", timeout=SLOW_MS)
    text = page.locator("body").inner_text()
    for sign_of_code in ("Traceback", "import endtrafficking", "lesson_header(", "Exception"):
        assert sign_of_code not in text, f"the course view shows {sign_of_code!r}"
    # Voila keeps empty input areas in the page; none may show any source text.
    shown = "els => els.map(e => e.innerText.trim()).filter(t => t.length > 0)"
    code_parts = ".jp-CodeCell .jp-InputArea, .jp-CodeCell .jp-InputPrompt, .cm-editor"
    assert page.eval_on_selector_all(code_parts, shown) == []
    for width in (1024, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        shots.take(page, f"learner-course-view-{width}")


def wait_for_lab(page: Page, name: str) -> None:
    """Wait until the person's own JupyterLab has loaded (the server was started for them)."""
    page.wait_for_url(re.compile(rf"/user/{name}/lab"), timeout=SLOW_MS)
    page.locator("#filebrowser .jp-DirListing-item").first.wait_for(timeout=SLOW_MS)


def formgrader(lab: Lab) -> FrameLocator:
    """Nbgrader > Formgrader; the tool opens in a tab with an iframe."""
    lab.menu("Nbgrader", "nbgrader:open-formgrader")
    frame = lab.page.frame_locator("#jp-main-dock-panel iframe").last
    frame.locator("#main_content, body").first.wait_for()
    return frame


def assignment_row(frame: FrameLocator, assignment: str) -> Locator:
    """The row of ``assignment`` in formgrader's Manage Assignments table."""
    return frame.locator("tr", has=frame.locator("td.name", has_text=assignment))


def formgrader_action(frame: FrameLocator, row: Locator, column: str) -> str:
    """Click the action in ``column`` (assign, release, collect, autograde), confirm the
    result dialog and return its message."""
    row.locator(f"td.{column} a").click()
    ok = frame.locator(".modal-footer button", has_text="OK")
    ok.wait_for(timeout=SLOW_MS)
    message = frame.locator(".modal-body").inner_text()
    title = frame.locator(".modal-title").inner_text()
    ok.click()
    expect(frame.locator(".modal-dialog")).to_have_count(0)
    assert "Success" in title, f"formgrader {column}: {title}\n{message}"
    return message


def collect_and_open(hub: Any, frame: FrameLocator, row: Locator) -> tuple[Locator, str]:
    """Collect the assignment in ``row``, open its one submission; return the learner's
    row there and their system account name."""
    formgrader_action(frame, row, "collect")
    count = row.locator("td.num-submissions a")
    expect(count).to_have_text("1", timeout=SLOW_MS)
    count.click()
    student = hub.settings.system_username(LEARNER)
    return frame.locator("tr", has=frame.locator("td.student-id", has_text=student)), student


def assignments_panel(lab: Lab) -> Locator:
    """Nbgrader > Assignment List, as the learner opens it."""
    lab.menu("Nbgrader", "nbgrader:open-assignment-list")
    panel = lab.page.locator("#assignments")
    panel.wait_for()
    return panel


@dataclass
class People:
    """The instructor's and the learner's browser, each on the hub, and their sign-up codes."""

    teacher: Lab
    learner: Lab
    codes: dict[str, str]
    errors: list[str]


def _people(
    request: pytest.FixtureRequest, hub: Any, browser: Browser, shots: Screenshots
) -> Iterator[People]:
    """Two browser sessions (no shared cookies); a failed test keeps a screenshot of each."""
    errors: list[str] = []
    request.node.page_errors = errors
    teacher = Lab(new_page(browser, errors), hub)
    learner = Lab(new_page(browser, errors), hub)
    for view in (teacher, learner):
        dismiss_news_prompt(view.page, errors)
    codes = {name: read_code(hub.settings, role) for name, role in ROLES.items()}
    try:
        yield People(teacher, learner, codes, errors)
    finally:
        for view in (learner, teacher):
            report_failure(request, view, shots)
            view.page.context.close()


@pytest.fixture
def people(
    request: pytest.FixtureRequest, hub: Any, browser: Browser, shots: Screenshots
) -> Iterator[People]:
    """The instructor and the learner, each in a browser session of their own."""
    yield from _people(request, hub, browser, shots)


def test_learner_fetches_and_submits_instructor_sees_it(
    hub: Any, people: People, shots: Screenshots
) -> None:
    """Can a learner sign in, open the course, fetch and submit an assignment from the
    Assignments list, and does the instructor then see and grade it in formgrader?"""
    teacher, learner = people.teacher.page, people.learner.page

    # Both sign in; their servers start at the same time.
    sign_in(teacher, hub.base, INSTRUCTOR, people.codes[INSTRUCTOR])
    sign_in(learner, hub.base, LEARNER, people.codes[LEARNER])
    wait_for_lab(teacher, INSTRUCTOR)
    shots.take(teacher, "instructor-signed-in")

    # The instructor generates and releases ps1 in formgrader.
    frame = formgrader(people.teacher)
    row = assignment_row(frame, "ps1")
    expect(row.locator("td.status")).to_contain_text("draft")
    formgrader_action(frame, row, "assign")
    assert "ps1" in formgrader_action(frame, row, "release")
    expect(row.locator("td.status")).to_contain_text("released")
    shots.take(teacher, "instructor-released-ps1")

    # The learner lands in the course view; JupyterLab is one address away.
    check_course_view(learner, shots)
    learner.goto(f"{hub.base}/user/{LEARNER}/lab")
    wait_for_lab(learner, LEARNER)
    shots.take(learner, "learner-signed-in")
    people.learner.open_from_file_browser("endtrafficking/modules/00_welcome.ipynb")
    expect(learner.get_by_role("heading", name=re.compile("Welcome")).first).to_be_visible()
    shots.take(learner, "learner-opened-course")

    # Fetch ps1 from the Assignments list.
    panel = assignments_panel(people.learner)
    released = panel.locator("#released_assignments_list .list_item", has_text="ps1")
    released.get_by_role("button", name="Fetch").click()
    fetched = panel.locator("#fetched_assignments_list .list_item", has_text="ps1").first
    expect(fetched.get_by_role("button", name="Submit")).to_be_visible(timeout=SLOW_MS)
    shots.take(learner, "learner-fetched-ps1")

    # Answer the problem in the notebook and save it.
    people.learner.open_from_file_browser("ps1/problem1.ipynb")
    answer_cell = learner.locator(f"{NOTEBOOK} .jp-CodeCell").first
    expect(answer_cell).to_contain_text("NotImplementedError")
    answer_cell.locator(".cm-content").click()
    learner.keyboard.press("Control+a")
    learner.keyboard.type(ANSWER)
    expect(answer_cell).to_contain_text("return 2 * x")
    expect(answer_cell).not_to_contain_text("NotImplementedError")
    people.learner.save()
    shots.take(learner, "learner-answered")

    # Submit from the Assignments list.
    learner.locator("#jp-main-dock-panel .lm-TabBar-tab", has_text="Assignments").click()
    fetched.get_by_role("button", name="Submit").click()
    submitted = panel.locator("#submitted_assignments_list .list_item", has_text="ps1")
    expect(submitted.first).to_be_visible(timeout=SLOW_MS)
    shots.take(learner, "learner-submitted")

    # The instructor collects, sees the submission and autogrades it.
    teacher.locator("#jp-main-dock-panel .lm-TabBar-tab", has_text="Formgrader").click()
    submission, student = collect_and_open(hub, frame, row)
    expect(submission).to_contain_text("needs autograding", timeout=SLOW_MS)
    shots.take(teacher, "instructor-sees-submission")
    assert student in formgrader_action(frame, submission, "autograde")
    expect(submission.locator("td.score")).to_have_text("3 / 3", timeout=SLOW_MS)
    shots.take(teacher, "instructor-autograded")
    news = [e for e in people.errors if "news prompt" in e]
    assert not news, news


def checkpoint_points(assignment: str) -> float:
    """Every point of ``assignment``'s source notebooks (autograded and manual), as the
    gradebook counts its maximum."""
    total = 0.0
    for path in sorted((REPO_ROOT / "course" / "source" / assignment).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") or meta.get("task"):
                total += float(meta.get("points", 0))
    return total


def choose(check: Locator, text: str) -> None:
    """Pick the option ``text`` in a question (radio buttons, or a list when long)."""
    check.scroll_into_view_if_needed()
    listing = check.locator("select")
    if listing.count():
        listing.select_option(label=text)
    else:
        check.get_by_label(text, exact=True).check()
    expect(check).to_contain_text("Saved at", timeout=SLOW_MS)


def complete_welcome(course: CourseView, shots: Screenshots) -> None:
    """The learner does everything on the welcome page, which then says so."""
    course.wait_ready()
    course.assert_no_code()
    assert course.answer_knowledge_checks() > 0
    course.write_reflection(REFLECTION)
    course.expect_page_done()
    shots.take(course.page, "hub-learner-welcome-done")


def get_and_answer_checkpoint(course: CourseView, shots: Screenshots) -> None:
    """On the Checkpoints page: get the checkpoint, open its knowledge check, answer it."""
    page = course.page
    page.locator(".et-course-map a", has_text="Graded checkpoints").first.click()
    course.wait_ready()
    course.assert_no_code()
    listing = course.widget("et-checkpoints").locator(f".et-checkpoint-{CHECKPOINT}")
    listing.get_by_role("button", name="Get this checkpoint").click()
    part = listing.get_by_role("link", name=re.compile("knowledge check"))
    expect(part).to_be_visible(timeout=SLOW_MS)
    shots.take(page, "hub-learner-checkpoint-fetched")
    part.click()
    checks = page.locator("#rendered_cells .et-knowledge-check")
    expect(checks).to_have_count(len(CHOICES), timeout=SLOW_MS)
    course.assert_no_code()
    for i, text in enumerate(CHOICES.values()):
        choose(checks.nth(i), text)
    shots.take(page, "hub-learner-checkpoint-answered")
    page.go_back()
    course.wait_ready()


def test_learner_hands_in_a_checkpoint_from_the_course_view(
    hub: Any, people: People, shots: Screenshots
) -> None:
    """Can a learner complete a module, get a checkpoint, answer it with widgets and hand it
    in, all in the course view; and does the instructor's autograde count the right answers?"""
    teacher, learner = people.teacher.page, people.learner.page
    sign_in(teacher, hub.base, INSTRUCTOR, people.codes[INSTRUCTOR])
    wait_for_lab(teacher, INSTRUCTOR)
    frame = formgrader(people.teacher)
    row = assignment_row(frame, CHECKPOINT)
    formgrader_action(frame, row, "assign")
    assert CHECKPOINT in formgrader_action(frame, row, "release")

    sign_in(learner, hub.base, LEARNER, people.codes[LEARNER])
    check_course_view(learner, shots)
    learner.set_viewport_size({"width": 1366, "height": 900})
    course = CourseView(learner, server=None)  # pages are reached by links, not by URL
    complete_welcome(course, shots)
    get_and_answer_checkpoint(course, shots)
    listing = course.widget("et-checkpoints").locator(f".et-checkpoint-{CHECKPOINT}")
    listing.get_by_role("button", name="Hand in this checkpoint").click()
    expect(listing).to_contain_text("Handed in", timeout=SLOW_MS)
    expect(course.widget("et-checkpoints")).to_contain_text("reached your instructor")
    shots.take(learner, "hub-learner-handed-in")
    assert f"/user/{LEARNER}/voila/render/{SEED_DEST}/modules/" in learner.url

    submission, student = collect_and_open(hub, frame, row)
    assert student in formgrader_action(frame, submission, "autograde")
    most = checkpoint_points(CHECKPOINT)
    score = re.compile(rf"^\s*{RIGHT_ANSWERS}(\.0+)? / {most:g}(\.0+)?\s*$")
    expect(submission.locator("td.score")).to_have_text(score, timeout=SLOW_MS)
    shots.take(teacher, "hub-instructor-graded-checkpoint")
