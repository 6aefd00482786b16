"""The action-plan widget, driven without a browser: set values, click, read state and files."""

from __future__ import annotations

import csv
import html
import io
import json
from datetime import date, timedelta

import ipywidgets as widgets
import pytest

from endtrafficking.action_plan import PRIORITY_GAPS, TOP_GAPS, ActionPlan
from endtrafficking.assessment import Assessment
from endtrafficking.framework import load_framework
from endtrafficking.inventory import InventoryEntry, store_inventory
from endtrafficking.saved_assessment import save_learner_assessment
from endtrafficking.scoring import gaps
from endtrafficking.widgets import action_plan as module
from endtrafficking.widgets.action_plan import ActionPlanExercise, action_plan_exercise
from endtrafficking.workspace import ACTION_PLAN_FILE, work_dir

FW = load_framework()
NEXT_YEAR = date.today() + timedelta(days=365)


def own_assessment() -> Assessment:
    """The learner's own (here: made-up) community, saved in the working folder."""
    a = Assessment.blank("Testbrook", FW)
    levels = {
        "prevention": 2,
        "identification": 1,
        "rescue_response": 2,
        "restoration": 0,
        "justice": 3,
        "partnership": 2,
    }
    for area in FW.areas:
        for ind in area.indicators:
            a.set_response(ind.id, rating=levels[area.id])
    a.set_response("RST3", organizations=["Riverside Counselling (fictional)"])
    save_learner_assessment(a)
    return a


def saved_state() -> dict:
    return json.loads((work_dir() / ACTION_PLAN_FILE).read_text(encoding="utf-8"))["state"]


def fill(w: ActionPlanExercise, ind_id: str, owner: str = "coalition coordinator") -> None:
    card = w.cards[ind_id]
    card.goal.value = f"Goal for {ind_id}"
    card.first_step.value = "Meet the providers"
    card.owner.value = owner
    card.target_date.value = NEXT_YEAR


def test_without_an_assessment_it_offers_the_fictional_example():
    """With nothing saved, does it say so and offer the labelled fictional example?"""
    w = ActionPlanExercise()
    assert w.plan is None and "No community assessment is saved yet" in w.header.value
    assert w.example_button in w.children
    w.example_button.click()
    assert w.plan is not None and w.plan.fictional and w.plan.uses_example
    assert "Fictional example" in w.header.value
    assert len(w.cards) == TOP_GAPS
    state = saved_state()
    assert state["uses_example"] and state["fictional"]
    # The example keeps its inventory's organizations as partner suggestions.
    first = w.plan.items[0].indicator_id
    assert "Riverside Legal Aid (fictional)" in w.cards[first].partner_pick.options
    # Built again (a restart), the example plan comes back.
    again = ActionPlanExercise()
    assert again.plan is not None and again.plan.uses_example and len(again.cards) == TOP_GAPS


def test_cards_follow_the_top_gaps_with_the_suggested_option_checked():
    """Is there one card per top gap, with the suggested option pre-selected?"""
    a = own_assessment()
    w = ActionPlanExercise()
    top = gaps(a, top=TOP_GAPS)
    assert list(w.cards) == list(top["indicator_id"])
    for ind_id, option in zip(top["indicator_id"], top["suggested_option"], strict=True):
        checked = [o for o, box in w.cards[ind_id].options.items() if box.value]
        assert checked == [option]
        assert "(suggested)" in w.cards[ind_id].options[option].description
    assert "RST3" in w.cards and w.cards["RST3"].options["come_alongside"].value


def test_plan_check_follows_the_learner(monkeypatch):
    """Does the plan check name unfinished priority gaps and left-out areas until fixed?"""
    own_assessment()
    w = ActionPlanExercise()
    assert "To do before your plan is ready" in w.check_html.value
    priority = list(w.cards)[:PRIORITY_GAPS]
    assert any(priority[0] in m and "still needs" in m for m in w.check_messages())
    for ind_id in priority:
        fill(w, ind_id)
        w.cards[ind_id].partners.value = "Harrow Bend Shelter (fictional)"  # graded too
    assert not any(m.startswith("Priority gap") for m in w.check_messages())
    left_out = [m for m in w.check_messages() if m.startswith("No action covers")]
    assert any("Identification" in m for m in left_out)
    # Add a gap from each area left out, with a goal: the check turns ready.
    for area in ("identification", "prevention", "rescue_response", "partnership"):
        if not any(FW.area(area).name in m for m in w.check_messages()):
            continue
        ind_id = FW.area(area).indicators[0].id
        w.add_pick.value = ind_id
        w.add_button.click()
        assert ind_id in w.cards and w.plan.item(ind_id) is not None
        w.cards[ind_id].goal.value = "Strengthen this area"
        w.cards[ind_id].partners.value = "Harrow Bend Shelter (fictional)"  # graded too
    assert w.check_messages() == []
    assert "Ready" in w.check_html.value


def test_options_partners_and_text_are_saved_and_restored():
    """Do options, partners, goal, first step, owner and date save and come back?"""
    own_assessment()
    store_inventory(
        [
            InventoryEntry("Aftercare House (fictional)", focus_areas=["restoration"]),
            InventoryEntry("Zeta Clinic (fictional)", focus_areas=["identification"]),
        ]
    )
    w = ActionPlanExercise()
    ind_id = next(i for i in w.cards if i.startswith("RST"))
    card = w.cards[ind_id]
    assert card.partner_pick.options[0] == "Aftercare House (fictional)"
    card.partner_pick.value = "Aftercare House (fictional)"
    card.add_partner.click()
    card.add_partner.click()  # twice: not repeated
    assert card.partners.value == "Aftercare House (fictional)"
    card.options["enhance"].value = True
    fill(w, ind_id)
    item = next(i for i in saved_state()["items"] if i["indicator_id"] == ind_id)
    assert item["partners"] == ["Aftercare House (fictional)"]
    assert "enhance" in item["options"] and item["target_date"] == NEXT_YEAR.isoformat()
    again = ActionPlanExercise()
    card = again.cards[ind_id]
    assert card.partners.value == "Aftercare House (fictional)"
    assert card.options["enhance"].value and card.goal.value == f"Goal for {ind_id}"
    assert card.owner.value == "coalition coordinator" and card.target_date.value == NEXT_YEAR
    assert "restored" in again.status.value
    card.options["enhance"].value = False
    assert "enhance" not in again.plan.item(ind_id).options


def test_owner_that_looks_like_a_name_is_warned():
    """Does an owner that looks like a person's name or contact details get a warning?"""
    own_assessment()
    w = ActionPlanExercise()
    ind_id = next(iter(w.cards))
    card = w.cards[ind_id]
    assert "role, not a person's name" in card.owner.description
    card.owner.value = "Maria Lopez"
    assert "person's name" in html.unescape(card.warnings.value)
    assert any(ind_id in m and "person's name" in m for m in w.check_messages())
    card.owner.value = "maria@example.org"
    assert "email address" in card.warnings.value
    card.owner.value = "youth services lead"
    assert card.warnings.value == ""
    card.first_step.value = "Call 555-201-4477"
    assert "phone number" in card.warnings.value


def test_damaged_plan_is_restored_from_the_previous_version():
    """Does a damaged plan file come back from its previous version, with a message?"""
    own_assessment()
    w = ActionPlanExercise()
    first = next(iter(w.cards))
    w.cards[first].goal.value = "Kept goal"
    w.cards[first].first_step.value = "Later step"
    (work_dir() / ACTION_PLAN_FILE).write_text("{ broken", encoding="utf-8")
    again = ActionPlanExercise()
    assert again.cards[first].goal.value == "Kept goal"
    assert "previous version" in again.status.value


def test_unreadable_plan_is_kept_aside_and_a_new_plan_started():
    """Is a plan that reads as JSON but not as a plan kept in a file, and a new one started?"""
    own_assessment()
    bad = {"kind": "action_plan", "saved": "", "state": {"items": [{"indicator_id": "XYZ"}]}}
    (work_dir() / ACTION_PLAN_FILE).write_text(json.dumps(bad), encoding="utf-8")
    w = ActionPlanExercise()
    assert "could not be read" in w.status.value and len(w.cards) == TOP_GAPS
    kept = list(work_dir().glob("action_plan_unreadable_*.json"))
    assert len(kept) == 1 and "XYZ" in kept[0].read_text(encoding="utf-8")


def test_switching_from_the_example_to_the_own_assessment_keeps_the_example_plan():
    """Once the learner saves their own assessment, can they switch without losing the example?"""
    w = ActionPlanExercise()
    w.example_button.click()
    fill(w, next(iter(w.cards)))
    own_assessment()
    again = ActionPlanExercise()
    assert again.plan.uses_example and again.switch_button in again.children
    again.switch_button.click()
    assert not again.plan.uses_example and again.plan.community == "Testbrook"
    kept = json.loads((work_dir() / module.EXAMPLE_PLAN_BACKUP).read_text(encoding="utf-8"))
    assert kept["uses_example"] and any(i["goal"] for i in kept["items"])


def test_exports_hold_the_plan_and_escape_it():
    """Do the Markdown, HTML and CSV exports exist and hold the plan, escaped?"""
    own_assessment()
    w = ActionPlanExercise()
    first = next(iter(w.cards))
    fill(w, first)
    w.cards[first].goal.value = "<b>Open</b> aftercare"
    files = {kind: w.export_buttons[kind].deliver() for kind in ("md", "html", "csv")}
    for kind, (name, data) in files.items():
        assert name == f"action_plan.{kind}" and data
    assert "&lt;b&gt;Open&lt;/b&gt; aftercare" in files["html"][1].decode("utf-8")
    assert "<b>" not in files["md"][1].decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(files["csv"][1].decode("utf-8-sig"), newline="")))
    assert rows[0]["indicator_id"] == first and rows[0]["goal"] == "<b>Open</b> aftercare"


def test_save_failure_is_a_message(monkeypatch):
    """Does a failed save show a message while the answer stays in the plan?"""
    own_assessment()
    w = ActionPlanExercise()

    def full_disk(_state):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(w.store, "save", full_disk)
    first = next(iter(w.cards))
    w.cards[first].goal.value = "Still here"
    assert "Not saved" in w.saved.value and "No space left" in w.saved.value
    assert w.plan.item(first).goal == "Still here"


def test_every_control_has_a_visible_label():
    """Does every control of a card carry a visible description?"""
    own_assessment()
    w = ActionPlanExercise()
    for card in w.cards.values():
        for control in [
            *card.options.values(),
            card.partners,
            card.partner_pick,
            card.goal,
            card.first_step,
            card.owner,
            card.target_date,
        ]:
            assert control.description.strip()
    assert w.add_pick.description.strip()


def test_factory_returns_the_widget_or_a_message(tmp_path, monkeypatch):
    """Does the one-line factory return the exercise, or a message for a broken framework?"""
    assert isinstance(action_plan_exercise(), ActionPlanExercise)
    (tmp_path / "framework.yaml").write_text("areas: [", encoding="utf-8")
    monkeypatch.setenv("ENDTRAFFICKING_TEMPLATES", str(tmp_path))
    shown = action_plan_exercise()
    assert isinstance(shown, widgets.HTML) and "How to fix it" in shown.value


@pytest.mark.parametrize("kind", ["md", "html", "csv"])
def test_nothing_to_export_without_a_plan(kind):
    """Without a plan, does export say so instead of failing?"""
    w = ActionPlanExercise()
    assert w.export_buttons[kind].deliver() is None
    assert "no plan to download yet" in w.export_buttons[kind].status


def test_restored_plan_gains_new_top_gaps():
    """When the assessment changes, are the new top gaps added and the old actions kept?"""
    a = own_assessment()
    w = ActionPlanExercise()
    first = next(iter(w.cards))
    w.cards[first].goal.value = "Kept"
    for ind in FW.area("restoration").indicators:
        a.set_response(ind.id, rating=3)
    save_learner_assessment(a)
    again = ActionPlanExercise()
    assert again.plan.item(first).goal == "Kept"
    new_top = list(gaps(a, top=TOP_GAPS)["indicator_id"])
    assert set(new_top) <= set(again.cards)
    assert isinstance(ActionPlan.from_state(saved_state(), FW), ActionPlan)
