"""A learner's journey through the course in JupyterLab, in real Chromium.

Open the welcome; open the community assessment (03_context) and run it; answer
indicators by clicking the rendered widgets; watch the radar chart, its text
equivalent and the ranked gaps change; restart the kernel and get the answers
back; export the HTML report and read it in the browser.

What the page shows is compared with what the course's own scoring computes for
the same answers, so the test checks the screen, not just that something moved.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from browser_support import download
from lab_ui import Lab
from playwright.sync_api import Locator, Page, expect
from screenshots import Screenshots

from endtrafficking import scoring
from endtrafficking.assessment import Assessment
from endtrafficking.storage import load_assessment
from endtrafficking.widgets.assessment import EXPORT_NAMES, GAPS_SHOWN
from endtrafficking.workspace import ASSESSMENT_FILE

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]

COMMUNITY = "Testville (a fictional practice community)"
#: Indicator, button label, rating: answered by clicking, on the first two pages.
FIRST_PAGE = [("PRE1", "3 Strong", 3), ("PRE2", "0 Absent", 0), ("PRE3", "2 Established", 2)]
SECOND_PAGE = [("IDE1", "1 Emerging", 1)]
EVIDENCE = {"PRE2": "No school programme ran this year (aggregate count from the school board)."}
ORGANIZATIONS = {"PRE1": ["County Health Department", "Youth Shelter"]}


def expected_assessment() -> Assessment:
    """The same answers, entered through the course's own model."""
    assessment = Assessment.blank(COMMUNITY)
    for ind_id, _label, rating in FIRST_PAGE + SECOND_PAGE:
        assessment.set_response(ind_id, rating=rating)
    for ind_id, text in EVIDENCE.items():
        assessment.set_response(ind_id, evidence=text)
    for ind_id, names in ORGANIZATIONS.items():
        assessment.set_response(ind_id, organizations=names)
    return assessment


def rating_buttons(exercise: Locator, ind_id: str) -> Locator:
    """The toggle buttons that rate ``ind_id`` (their label reads "<ID> rating")."""
    return exercise.locator(
        ".widget-toggle-buttons", has=exercise.page.get_by_text(f"{ind_id} rating", exact=True)
    )


def rating_button(exercise: Locator, ind_id: str, label: str) -> Locator:
    """One button of ``ind_id``'s rating, by its visible label ("3 Strong")."""
    return rating_buttons(exercise, ind_id).get_by_role("button", name=label, exact=True)


def chart(exercise: Locator) -> Locator:
    """The radar chart (an image however the widget draws it)."""
    return exercise.locator('img, [role="img"]').first


def wait_loaded(picture: Locator) -> None:
    """Wait until the chart is visible and, if it is an <img>, its picture has loaded."""
    expect(picture).to_be_visible()
    picture.page.wait_for_function(
        "el => el.tagName !== 'IMG' || (el.complete && el.naturalWidth > 0)",
        arg=picture.element_handle(),
    )


def wait_until_redrawn(picture: Locator, before: bytes, timeout_s: float = 15.0) -> bytes:
    """Poll screenshots of ``picture`` until they differ from ``before``; return the new one."""
    deadline = time.monotonic() + timeout_s
    while True:
        now = picture.screenshot()
        if now != before:
            return now
        if time.monotonic() > deadline:
            raise AssertionError(f"the chart looked the same after {timeout_s:.0f} s")
        picture.page.wait_for_timeout(250)


def chart_words(exercise: Locator) -> Locator:
    """The lines of the text equivalent shown beside the radar chart (one per focus area)."""
    return exercise.locator(".et-chart-words li")


def words_of(assessment) -> list[str]:
    """The chart in words, line by line, as a learner should read it."""
    scores = scoring.area_scores(assessment)
    return [f"{a} {c:.0f}/100" for a, c in zip(scores["area"], scores["coverage"], strict=True)]


def gap_ids_on_screen(exercise: Locator) -> list[str]:
    """The Indicator column of the ranked-gaps table, top to bottom."""
    return exercise.locator("table.et-gaps tbody tr td:nth-child(2)").all_inner_texts()


def answer(exercise: Locator, ind_id: str, label: str) -> None:
    """Click a rating and wait until the widget shows it as chosen."""
    button = rating_button(exercise, ind_id, label)
    button.click()
    expect(button).to_have_class(re.compile(r"\bmod-active\b"))


def expect_answers_shown(exercise: Locator, answers: list[tuple[str, str, int]]) -> None:
    """Each indicator's chosen rating is the active button."""
    for ind_id, label, _rating in answers:
        expect(rating_button(exercise, ind_id, label)).to_have_class(re.compile(r"\bmod-active\b"))


def saved_ratings(path: Path) -> dict[str, int]:
    """The ratings in the learner's saved assessment file, read with the course's loader."""
    saved = load_assessment(path)
    return {ind_id: r.rating for ind_id, r in saved.responses.items() if r.rating is not None}


def open_report(page: Page, url: str) -> Page:
    """Open ``url`` in a new tab of the same browser session (as a link with target=_blank)."""
    report = page.context.new_page()
    response = report.goto(url)
    assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
    return report


def test_learner_journey(lab: Lab, shots: Screenshots, tmp_path: Path) -> None:
    """Can a learner open the welcome, rate indicators by clicking, see the chart and the gaps
    follow, get every answer back after a kernel restart, and read the exported report?"""
    page, server = lab.page, lab.server
    expected = expected_assessment()

    # 1. The welcome notebook, opened from the file browser.
    lab.open()
    lab.open_from_file_browser("modules/00_welcome.ipynb")
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
    shots.take(page, "welcome-open")

    # 2. The community assessment: Run All, with no error and every widget rendered.
    lab.open_from_file_browser("modules/03_context.ipynb")
    state = lab.run_all()
    assert not state.problems(), state.problems()
    exercise = lab.widget_output("et-assessment")
    exercise.scroll_into_view_if_needed()
    wait_loaded(chart(exercise))
    shots.take(page, "assessment-rendered")
    blank_words = chart_words(exercise).all_inner_texts()
    blank_gaps = gap_ids_on_screen(exercise)
    blank_chart = chart(exercise).screenshot()
    assert "Prevention 0/100" in blank_words

    # 3. Answer by clicking and typing, as a learner does.
    exercise.get_by_label("Community name").fill(COMMUNITY)
    for ind_id, label, _rating in FIRST_PAGE:
        answer(exercise, ind_id, label)
    for ind_id, text in EVIDENCE.items():
        exercise.get_by_label(f"{ind_id} evidence").fill(text)
    for ind_id, names in ORGANIZATIONS.items():
        exercise.get_by_label(f"{ind_id} organizations involved (separate with ;)").fill(
            "; ".join(names)
        )
    rating_button(exercise, "PRE1", "3 Strong").scroll_into_view_if_needed()
    shots.take(page, "first-page-answered")
    exercise.get_by_role("button", name="Next section").click()
    expect(exercise.get_by_text("Step 2 of", exact=False)).to_be_visible()
    for ind_id, label, _rating in SECOND_PAGE:
        answer(exercise, ind_id, label)

    # 4. The chart, its words and the gap list follow the answers on screen.
    expected_words = words_of(expected)
    expect(chart_words(exercise)).to_have_text(expected_words)
    assert expected_words != blank_words
    wait_until_redrawn(chart(exercise), blank_chart)
    expected_gaps = list(scoring.gaps(expected, top=GAPS_SHOWN)["indicator_id"])
    expect(exercise.locator("table.et-gaps tbody tr")).to_have_count(len(expected_gaps))
    assert gap_ids_on_screen(exercise) == expected_gaps
    assert gap_ids_on_screen(exercise) != blank_gaps
    assert "PRE1" in blank_gaps and "PRE1" not in expected_gaps  # rated strong: no longer a gap
    chart(exercise).scroll_into_view_if_needed()
    shots.take(page, "chart-and-gaps-updated")

    # Saved as they went: the file in the learner's working folder holds every rating.
    saved = server.work_dir / ASSESSMENT_FILE
    want = {ind_id: rating for ind_id, _label, rating in FIRST_PAGE + SECOND_PAGE}
    assert saved_ratings(saved) == want

    # 5. Restart the kernel, run everything again: the answers come back.
    lab.restart_kernel()
    state = lab.run_all()
    assert not state.problems(), state.problems()
    exercise = lab.widget_output("et-assessment")
    exercise.scroll_into_view_if_needed()
    expect(exercise.get_by_text("Your saved answers were restored.")).to_be_visible()
    expect(exercise.get_by_label("Community name")).to_have_value(COMMUNITY)
    expect_answers_shown(exercise, FIRST_PAGE)
    for ind_id, text in EVIDENCE.items():
        expect(exercise.get_by_label(f"{ind_id} evidence")).to_have_value(text)
    expect(chart_words(exercise)).to_have_text(expected_words)
    assert gap_ids_on_screen(exercise) == expected_gaps
    rating_button(exercise, "PRE1", "3 Strong").scroll_into_view_if_needed()
    shots.take(page, "restored-after-restart")
    exercise.get_by_role("button", name="Next section").click()
    expect_answers_shown(exercise, SECOND_PAGE)

    # 6. Download the HTML report (a real browser download) and open it in the browser.
    report_path = download(
        page,
        exercise.get_by_role("button", name="Download the report (HTML, to read and print)"),
        tmp_path,
    )
    assert report_path.name == EXPORT_NAMES["html"]
    shots.take(page, "report-exported")
    report = open_report(page, report_path.as_uri())
    expect(report).to_have_title(re.compile(re.escape(COMMUNITY)))
    expect(report.get_by_role("heading", level=1)).to_contain_text(COMMUNITY)
    gaps_table = report.locator("#gaps ~ table").first
    for ind_id in expected_gaps[:3]:
        expect(gaps_table).to_contain_text(ind_id)
    images_ok = report.evaluate(
        "() => [...document.images].map(i => i.complete && i.naturalWidth > 0 && i.alt !== '')"
    )
    assert images_ok and all(images_ok), f"report images that did not load or lack alt: {images_ok}"
    shots.take(report, "report-in-browser")
    gaps_table.scroll_into_view_if_needed()
    shots.take(report, "report-gaps")
    report.close()

    # JupyterLab's news notification is switched off in the test server's config.
    expect(page.get_by_text("official Jupyter news")).to_have_count(0)
