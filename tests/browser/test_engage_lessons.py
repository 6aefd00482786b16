"""The engage lessons in JupyterLab, in real Chromium: pick a role, open its lesson, make a plan.

Only a browser shows whether the index's link opens the lesson inside
JupyterLab (a link in an HTML widget would reload the page), and whether the
plan exercise renders and answers clicks. The plan's content is checked in the
unit tests; here the exported file is compared with what was clicked and typed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_support import download
from lab_ui import Lab
from playwright.sync_api import Page, expect
from screenshots import Screenshots

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]

FIRST_STEP = "Ask the student council for ten minutes at its next meeting"


def test_pick_a_role_open_its_lesson_and_export_a_plan(
    lab: Lab, page: Page, shots: Screenshots, tmp_path: Path
):
    """Does a learner pick a role, open its lesson by the link, build a plan and export it?"""
    lab.open("engage_lessons/00_index.ipynb")
    state = lab.run_all()
    assert not state.problems(), state.problems()
    picker = lab.widget_output("et-role-picker").first
    picker.get_by_text("Youth and students", exact=False).click()
    link = picker.get_by_role("link", name=re.compile("youth", re.IGNORECASE))
    expect(link).to_be_visible()
    shots.take(page, "role-chosen")
    page.evaluate("window.__etSamePage = true")  # gone if the click reloads JupyterLab
    link.click()
    lab.wait_notebook("07_youth.ipynb")
    assert page.evaluate("window.__etSamePage === true"), "the link reloaded the page"
    state = lab.run_all(timeout=180_000)
    assert not state.problems(), state.problems()
    plan = lab.widget_output("et-role-plan").first
    expect(plan).to_contain_text("No saved community assessment")
    plan.get_by_label("PRE1", exact=True).select_option(label="0 Absent")
    plan.get_by_label("IDE4", exact=True).select_option(label="1 Emerging")
    plan.get_by_role("button", name="Build my plan from these ratings").click()
    actions = plan.locator(".et-role-plan-action")
    expect(actions).to_have_count(3)
    expect(actions.nth(0)).to_contain_text("Rating: Absent")
    step = actions.nth(0).get_by_label("First step")
    step.fill(FIRST_STEP)
    step.press("Enter")
    exported = download(
        page,
        plan.get_by_role("button", name="Download my plan (Markdown, plain text)"),
        tmp_path,
    )
    shots.take(page, "plan-exported")
    assert exported.name == "role_plan_youth.md"
    text = exported.read_text(encoding="utf-8")
    assert "Youth and students" in text and "PRE1 (Prevention, Absent)" in text
    assert FIRST_STEP in text
