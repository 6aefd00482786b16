"""The shared role-plan exercise, driven without a browser: set values, click, read state."""

from __future__ import annotations

import html
import json

import ipywidgets as widgets
import pytest

from endtrafficking.assessment import Assessment
from endtrafficking.examples import example_assessment
from endtrafficking.roles import load_role
from endtrafficking.scoring import gaps
from endtrafficking.storage import save_assessment
from endtrafficking.widgets.role_plan import RolePlan, plan_store_name, role_plan
from endtrafficking.workspace import ASSESSMENT_FILE, work_dir, work_file


def save_community(framework, ratings: dict[str, int], orgs: dict[str, list[str]] | None = None):
    """Save a fictional community's assessment where module 03 saves it."""
    a = Assessment.blank("Test Town (fictional)", framework)
    a.fictional = True
    for ind in framework.indicator_ids:
        a.set_response(ind, rating=ratings.get(ind, 2))
    for ind, names in (orgs or {}).items():
        a.set_response(ind, organizations=names)
    save_assessment(a, work_file(ASSESSMENT_FILE))
    return a


def top_gaps_for(assessment: Assessment, role_id: str) -> list[tuple[str, str]]:
    """The role's top three gaps and suggested options, computed independently of the widget."""
    role = load_role(role_id)
    order = {ind: n for n, ind in enumerate(role.indicators)}
    rows = [r for r in gaps(assessment).to_dict("records") if r["indicator_id"] in order]
    rows.sort(key=lambda r: (-r["severity"], order[r["indicator_id"]]))  # ties: the role's order
    return [(r["indicator_id"], r["suggested_option"]) for r in rows[:3]]


def saved_state(role_id: str) -> dict:
    return json.loads((work_dir() / plan_store_name(role_id)).read_text(encoding="utf-8"))["state"]


# --------------------------------------------------------------------------- with an assessment
@pytest.mark.parametrize(
    ("role_id", "weak"),
    [
        ("transportation", {"IDE5": 0, "IDE4": 1, "PRE5": 0}),
        ("health_care", {"RES4": 0, "RST3": 1}),
    ],
)
def test_actions_are_tied_to_the_saved_assessments_top_gaps(framework, role_id, weak):
    """With a saved assessment, are the 3 actions its actual top gaps for the role, with options?"""
    a = save_community(framework, weak, orgs={"IDE4": ["Transit Authority (fictional)"]})
    w = role_plan(role_id)
    assert isinstance(w, RolePlan) and w.basis == "assessment"
    assert not w.rating_controls
    got = [(x.indicator_id, x.option) for x in w.actions()]
    assert got == top_gaps_for(a, role_id)
    assert set(weak) <= {i for i, _ in got}
    role = load_role(role_id)
    for act in w.actions():
        tagged = [e.text for e in role.examples(act.option) if act.indicator_id in e.indicators]
        assert act.action in tagged
    assert "Test Town (fictional)" in w.source.value and "fictional example" in w.source.value


def test_different_communities_get_different_plans(framework):
    """Do two communities with different gaps get actions for their own gaps?"""
    save_community(framework, {"PAR1": 0, "PAR2": 0, "PAR3": 0})
    first = [x.indicator_id for x in role_plan("volunteers").actions()]
    (work_dir() / plan_store_name("volunteers")).unlink()
    save_community(framework, {"RST4": 0, "PRE1": 0, "PAR5": 1})
    second = [x.indicator_id for x in role_plan("volunteers").actions()]
    assert set(first) == {"PAR1", "PAR2", "PAR3"}
    assert set(second) == {"RST4", "PRE1", "PAR5"}


def test_the_fictional_example_community_drives_a_plan():
    """Does the shipped fictional example assessment, saved as in module 03, give a plan?"""
    a = example_assessment()
    save_assessment(a, work_file(ASSESSMENT_FILE))
    w = role_plan("businesses")
    assert [(x.indicator_id, x.option) for x in w.actions()] == top_gaps_for(a, "businesses")


def test_changing_the_gap_suggests_its_option_and_a_matching_action(framework):
    """Does picking another gap switch to its suggested option and pre-fill a matching example?"""
    save_community(
        framework, {"IDE5": 0, "IDE1": 1, "IDE3": 0, "PRE5": 1}, orgs={"IDE1": ["Org (fictional)"]}
    )
    w = role_plan("transportation")
    row = w.rows[2]
    row.gap.value = "IDE1"
    assert row.option.value == "come_alongside"
    role = load_role("transportation")
    assert any(
        row.action.value == e.text and "IDE1" in e.indicators
        for e in role.examples("come_alongside")
    )
    assert "Org (fictional)" in row.why.value


def test_an_edited_action_is_never_overwritten(framework):
    """Once the learner edits an action, does changing the option leave their text alone?"""
    save_community(framework, {"IDE5": 0})
    w = role_plan("transportation")
    row = w.rows[0]
    row.action.value = "My own words"
    row.option.value = "come_alongside"
    assert row.action.value == "My own words"
    untouched = w.rows[1]
    before = untouched.action.value
    untouched.option.value = "enhance" if untouched.option.value != "enhance" else "fill_gap"
    assert untouched.action.value != before


# --------------------------------------------------------------------------- without one
def test_without_an_assessment_it_asks_for_a_quick_rating():
    """With no saved assessment, does it ask for ratings of the role's indicators and build from them?"""
    w = role_plan("educators")
    role = load_role("educators")
    assert w.basis == "inline" and list(w.rating_controls) == list(role.indicators)
    assert "No saved community assessment" in w.source.value
    assert w.actions() == []
    w.rating_controls["PRE3"].value = "0"
    w.rating_controls["IDE4"].value = "1"
    for ind in ("PRE2", "IDE1", "IDE3", "PRE1"):
        w.rating_controls[ind].value = "3"
    w.build_button.click()
    assert [x.indicator_id for x in w.actions()] == ["PRE3", "IDE4", "PRE2"]
    assert w.actions()[2].option == "enhance"
    state = saved_state("educators")
    assert state["basis"] == "inline" and state["inline_ratings"]["PRE3"] == 0
    assert state["inline_ratings"]["IDE1"] == 3


def test_unreadable_assessment_falls_back_to_quick_rating_and_keeps_the_file():
    """Does a damaged assessment file lead to the quick rating, with the file left as it was?"""
    path = work_file(ASSESSMENT_FILE)
    path.write_text("{not json", encoding="utf-8")
    w = role_plan("youth")
    assert w.basis == "inline" and w.rating_controls
    assert "could not be read" in w.source.value
    assert path.read_text(encoding="utf-8") == "{not json"


def test_an_assessment_with_no_ratings_counts_as_none(framework):
    """Is a saved but unrated assessment treated like no assessment?"""
    save_assessment(Assessment.blank("Empty (fictional)", framework), work_file(ASSESSMENT_FILE))
    assert role_plan("youth").basis == "inline"


# --------------------------------------------------------------------------- saving
def test_restore_after_rebuild(framework):
    """Are the learner's choices and text back, exactly, when the widget is built again?"""
    save_community(framework, {"IDE2": 0, "RES4": 1})
    w = role_plan("health_care")
    w.rows[0].first_step.value = "Ask the clinic manager for a slot at the team meeting"
    w.rows[1].action.value = "Offer two trauma-informed appointments a week"
    w.rows[2].by_when.value = "End of March"
    w.rows[2].option.value = "fill_gap"
    before = w.actions()
    again = role_plan("health_care")
    assert again.actions() == before
    assert "restored" in again.status.value


def test_quick_ratings_and_plan_are_restored():
    """Are quick ratings and the plan built from them restored together?"""
    w = role_plan("parents_caregivers")
    w.rating_controls["PRE3"].value = "0"
    w.build_button.click()
    w.rows[0].by_when.value = "Before the summer"
    again = role_plan("parents_caregivers")
    assert again.rating_controls["PRE3"].value == "0"
    assert again.actions() == w.actions()


def test_starting_again_keeps_the_previous_plan(framework):
    """Does 'start again' rebuild from the gaps and keep the previous plan in the saved file?"""
    save_community(framework, {"PAR1": 0})
    w = role_plan("volunteers")
    w.rows[0].action.value = "Keep me"
    w.refresh_button.click()
    assert w.rows[0].action.value != "Keep me"
    state = saved_state("volunteers")
    assert state["previous_actions"][0]["action"] == "Keep me"
    assert "previous plan is kept" in w.status.value


def test_a_plan_from_quick_ratings_can_be_rebuilt_from_a_new_assessment(framework):
    """After saving an assessment, is the learner told, and does 'start again' use it?"""
    w = role_plan("transportation")
    w.build_button.click()
    save_community(framework, {"IDE3": 0})
    again = role_plan("transportation")
    assert again.basis == "assessment" and "since" in again.status.value
    again.refresh_button.click()
    assert again.actions()[0].indicator_id == "IDE3"


def test_a_damaged_plan_file_is_recovered_from_the_backup(framework):
    """If the saved plan is damaged, is the previous version used and the learner told?"""
    save_community(framework, {"IDE5": 0})
    w = role_plan("transportation")
    w.rows[0].by_when.value = "Spring"
    w.rows[0].by_when.value = "Summer"
    (work_dir() / plan_store_name("transportation")).write_text("{broken", encoding="utf-8")
    again = role_plan("transportation")
    assert again.rows[0].by_when.value == "Spring"
    assert "previous version" in again.status.value


# --------------------------------------------------------------------------- export and privacy
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_export_writes_the_plan(framework, fmt):
    """Does the download hold the plan in the chosen format, with the learner's text escaped?"""
    save_community(framework, {"PRE4": 0})
    w = role_plan("businesses")
    w.rows[0].first_step.value = "Ask <purchasing> for the supplier list"
    name, data = w.export_buttons[fmt].deliver()
    text = data.decode("utf-8")
    assert name == f"role_plan_businesses.{fmt}"
    assert "Businesses, employers and hospitality" in text
    assert "<purchasing>" not in text
    assert ("&lt;purchasing&gt;" if fmt == "html" else "\\<purchasing\\>") in text
    for act in w.actions():
        assert act.indicator_id in text


def test_export_before_building_says_what_to_do():
    """Does a download before the plan exists explain instead of giving an empty file?"""
    w = role_plan("youth")
    assert w.export_buttons["md"].deliver() is None
    assert "build your plan first" in w.export_buttons["md"].status


def test_privacy_warning_for_personal_details(framework):
    """Does an email or personal phone number in free text show a warning, also at export?"""
    save_community(framework, {"IDE1": 0})
    w = role_plan("law_enforcement")
    assert w.warnings.value == ""
    w.rows[1].first_step.value = "Email the sergeant at sam@example.org"
    assert "email address" in w.warnings.value and "Action 2" in w.warnings.value
    w.export_buttons["html"].deliver()
    assert "remove the personal details" in w.status.value
    w.rows[1].first_step.value = "Call the hotline 1-888-373-7888 to ask about training"
    assert w.warnings.value == ""


def test_unknown_role_is_a_message_not_a_traceback():
    """Does an unknown role id show a message in place of the exercise?"""
    w = role_plan("astronauts")
    assert isinstance(w, widgets.HTML) and "no role with id" in w.value


def test_damaged_assessment_falls_back_to_its_previous_version(tmp_path, monkeypatch):
    """Does a damaged saved assessment give way to its .bak, leaving both files untouched?"""
    from endtrafficking.examples import example_assessment
    from endtrafficking.safe_save import backup_path
    from endtrafficking.storage import save_assessment
    from endtrafficking.widgets.role_plan import RolePlan, role_plan
    from endtrafficking.workspace import ASSESSMENT_FILE

    monkeypatch.setenv("ENDTRAFFICKING_WORK", str(tmp_path))
    path = tmp_path / ASSESSMENT_FILE
    save_assessment(example_assessment(), path)
    changed = example_assessment()
    changed.set_response("PRE1", notes="a later edit")
    save_assessment(changed, path)  # the second save keeps the first as .bak
    assert backup_path(path).exists()
    path.write_text("{ not json", encoding="utf-8")
    widget = role_plan("educators")
    assert isinstance(widget, RolePlan)
    assert widget.assessment is not None
    assert "previous version" in widget.source.value
    assert path.read_text(encoding="utf-8") == "{ not json"


def test_gap_labels_fit_and_every_question_is_shown_whole(framework):
    """Are the gap drop-down labels short, with each gap's whole question shown on the page?"""
    save_community(framework, {"IDE5": 0, "IDE1": 1, "IDE3": 0, "PRE5": 1})
    w = role_plan("transportation")
    questions = {c.indicator_id: c.question for c in w.candidates}
    for row in w.rows:
        for label, ind_id in row.gap.options:
            assert label.startswith(ind_id) and questions[ind_id] not in label
            assert len(label) <= 70, label
        assert questions[row.gap.value] in row.why.value
    shown = w.gap_list.value
    assert all(html.escape(q) in shown for q in questions.values())
    assert "…" not in shown and "..." not in shown
