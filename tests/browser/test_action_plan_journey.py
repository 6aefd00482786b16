"""The action plan (04_engage) filled through its widgets, in real Chromium.

The learner's assessment from step 3 is already saved in their working folder.
They open 04_engage, run it, and fill the first action by clicking and typing:
an extra engagement option, a suggested partner, goal, first step, owner and
target date. The plan check on screen must say what the course's own
``check_plan`` says; the plan must come back after a kernel restart, and its
HTML export must open in the browser.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from browser_support import download
from lab_server import LabServer
from lab_ui import Lab
from playwright.sync_api import Locator, expect
from screenshots import Screenshots

from endtrafficking.action_plan import EXPORT_NAMES, PLAN_KIND, ActionPlan, check_plan
from endtrafficking.assessment import Assessment
from endtrafficking.framework import load_framework
from endtrafficking.saved_assessment import save_learner_assessment
from endtrafficking.widgets.autosave import AutosaveStore
from endtrafficking.workspace import ACTION_PLAN_FILE, ASSESSMENT_FILE

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]

COMMUNITY = "Testville (a fictional practice community)"
#: Ratings below "3 Strong"; every other indicator is rated 3.
LOW_RATINGS = {"RST1": 0, "PAR2": 0, "RST2": 1, "IDE3": 1, "JUS4": 1, "PRE5": 2}
ORGANIZATIONS = {"RST2": ["Youth Shelter"], "RST3": ["County Health Department"]}
FIRST_GAP = "RST1"  # the most severe gap: Restoration rated 0 Absent
PARTNER = "Youth Shelter"  # named in the Restoration area, so suggested for RST1
GOAL = "A safe-housing referral route agreed with the shelter by spring."
FIRST_STEP = "Ask the shelter's programme lead for a meeting."
NOT_A_ROLE = "Jane Doe"
OWNER = "coalition coordinator"
TARGET = date.today() + timedelta(days=200)


def learners_assessment() -> Assessment:
    """The assessment the learner saved in step 3 (a fictional community)."""
    assessment = Assessment.blank(COMMUNITY)
    for area in assessment.framework.areas:
        for ind in area.indicators:
            assessment.set_response(ind.id, rating=LOW_RATINGS.get(ind.id, 3))
    for ind_id, names in ORGANIZATIONS.items():
        assessment.set_response(ind_id, organizations=names)
    return assessment


def expected_check(assessment: Assessment) -> list[str]:
    """The plan check for the plan the test builds, as the course computes it."""
    plan = ActionPlan.from_assessment(assessment)
    item = plan.item(FIRST_GAP)
    assert item is not None
    item.options = ["come_alongside", "fill_gap"]
    item.partners = [PARTNER]
    item.goal, item.first_step, item.owner = GOAL, FIRST_STEP, OWNER
    item.target_date = TARGET.isoformat()
    return check_plan(plan, assessment)


def card(plan: Locator, ind_id: str) -> Locator:
    """The card of one action, found by its heading "<ID> (<focus area>)"."""
    return (
        plan.locator(".widget-vbox")
        .filter(has=plan.page.get_by_text(re.compile(rf"^{ind_id} \(")))
        .last
    )


def check_items(plan: Locator) -> list[str]:
    """The messages of the plan check, as shown (their text even where JupyterLab has not
    painted a cell scrolled out of view)."""
    return [" ".join(t.split()) for t in plan.locator(".et-notice li").all_text_contents()]


def saved_plan(server: LabServer) -> ActionPlan:
    """The plan in the learner's working folder, read with the course's own loader."""
    state = AutosaveStore(server.work_dir / ACTION_PLAN_FILE, PLAN_KIND).load()
    assert state is not None, f"no saved plan in {server.work_dir}"
    return ActionPlan.from_state(state, load_framework())


def test_action_plan_filled_through_widgets(lab: Lab, shots: Screenshots, tmp_path: Path) -> None:
    """Can a learner fill an action by clicking and typing, see the plan check follow, get the
    plan back after a kernel restart, and open its HTML export?"""
    page, server = lab.page, lab.server
    assessment = learners_assessment()
    save_learner_assessment(assessment, server.work_dir / ASSESSMENT_FILE)

    lab.open("modules/04_engage.ipynb")
    state = lab.run_all()
    assert not state.problems(), state.problems()
    plan = lab.widget_output("et-action-plan")
    plan.scroll_into_view_if_needed()
    expect(plan.get_by_role("heading", name=f"Action plan for {COMMUNITY}")).to_be_visible()
    first = card(plan, FIRST_GAP)
    expect(first).to_contain_text("Restoration")
    expect(plan.get_by_text("Priority gap 1 (RST1, Restoration) still needs")).to_be_visible()
    first.scroll_into_view_if_needed()
    shots.take(page, "plan-rendered")

    # Fill the first action through its controls.
    suggested = first.get_by_role("checkbox", name="Fill a gap (suggested)")
    expect(suggested).to_be_checked()
    first.get_by_role("checkbox", name="Come alongside").check()
    first.get_by_label("Suggested partner").select_option(label=PARTNER)
    first.get_by_role("button", name="Add partner").click()
    expect(first.get_by_label("Partners (separate with ;)")).to_have_value(PARTNER)
    first.get_by_label("Goal").fill(GOAL)
    first.get_by_label("First step").fill(FIRST_STEP)
    owner = first.get_by_label("Owner (a role, not a person's name)")
    owner.fill(NOT_A_ROLE)
    warning = first.get_by_text("may be a person's name")
    expect(warning).to_be_visible()  # a name gets a gentle warning, never a refusal
    shots.take(page, "owner-name-warned")
    owner.fill(OWNER)
    expect(warning).to_have_count(0)
    first.get_by_label("Target date").fill(TARGET.isoformat())

    # The plan check on screen is the course's own check of the same plan.
    want = expected_check(assessment)
    assert not any(m.startswith("Priority gap 1 ") for m in want)
    expect(plan.locator(".et-notice li")).to_have_count(len(want))
    assert check_items(plan) == want
    first.scroll_into_view_if_needed()
    shots.take(page, "first-action-filled")

    saved = saved_plan(server).item(FIRST_GAP)
    assert saved is not None
    assert (saved.options, saved.partners, saved.goal, saved.owner, saved.target_date) == (
        ["come_alongside", "fill_gap"],
        [PARTNER],
        GOAL,
        OWNER,
        TARGET.isoformat(),
    )

    # After a kernel restart the plan comes back into the same controls.
    lab.restart_kernel()
    state = lab.run_all()
    assert not state.problems(), state.problems()
    plan = lab.widget_output("et-action-plan")
    expect(plan.get_by_text("Your saved plan was restored.")).to_be_visible()
    first = card(plan, FIRST_GAP)
    expect(first.get_by_role("checkbox", name="Come alongside")).to_be_checked()
    expect(first.get_by_label("Goal")).to_have_value(GOAL)
    expect(first.get_by_label("First step")).to_have_value(FIRST_STEP)
    expect(first.get_by_label("Owner (a role, not a person's name)")).to_have_value(OWNER)
    expect(first.get_by_label("Target date")).to_have_value(TARGET.isoformat())
    assert check_items(plan) == want
    first.scroll_into_view_if_needed()
    shots.take(page, "plan-restored-after-restart")

    # Download the HTML plan (a real browser download) and read it in the browser.
    saved = download(
        page,
        plan.get_by_role("button", name="Download the plan (HTML, to read and print)"),
        tmp_path,
    )
    assert saved.name == EXPORT_NAMES["html"]
    report = page.context.new_page()
    response = report.goto(saved.as_uri())
    assert response is not None and response.ok
    body = report.locator("body")
    for text in (COMMUNITY, GOAL, FIRST_STEP, OWNER, PARTNER, TARGET.isoformat()):
        expect(body).to_contain_text(text)
    expect(body).not_to_contain_text(NOT_A_ROLE)
    shots.take(report, "plan-export-in-browser")
    report.close()
