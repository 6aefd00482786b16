"""The action-plan model: building from gaps, checking coverage, owners, dates and exports."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from endtrafficking import action_plan as ap
from endtrafficking.action_plan import ActionPlan, PlanItem, check_plan
from endtrafficking.assessment import Assessment
from endtrafficking.errors import CourseInputError
from endtrafficking.framework import load_framework
from endtrafficking.inventory import InventoryEntry
from endtrafficking.scoring import gaps

FW = load_framework()
NEXT_YEAR = (date.today() + timedelta(days=365)).isoformat()


def community() -> Assessment:
    """A fictional community: strong Justice, empty Restoration, one partner named."""
    a = Assessment.blank("Testbrook (fictional)", FW)
    a.fictional = True
    levels = {
        "prevention": 2,
        "identification": 2,
        "rescue_response": 1,
        "restoration": 0,
        "justice": 3,
        "partnership": 2,
    }
    for area in FW.areas:
        for ind in area.indicators:
            a.set_response(ind.id, rating=levels[area.id])
    a.set_response("RES1", organizations=["Testbrook Shelter (fictional)"])
    return a


def complete(item: PlanItem, owner: str = "coalition coordinator") -> PlanItem:
    """Fill every part of an action."""
    item.goal = "Open a drop-in aftercare programme"
    item.first_step = "Meet the county's service providers"
    item.owner = owner
    item.target_date = NEXT_YEAR
    return item


def test_plan_starts_from_the_top_gaps_with_the_suggested_option():
    """Does a new plan hold the top gaps, each with its suggested option chosen?"""
    a = community()
    plan = ActionPlan.from_assessment(a, top=4)
    top = gaps(a, top=4)
    assert [i.indicator_id for i in plan.items] == list(top["indicator_id"])
    for item, option in zip(plan.items, top["suggested_option"], strict=True):
        assert item.options == [option] and item.suggested_option == option
    assert plan.community == "Testbrook (fictional)" and plan.fictional


def test_state_round_trips():
    """Does a plan come back unchanged from its saved state?"""
    a = community()
    plan = ActionPlan.from_assessment(a)
    complete(plan.items[0]).partners = ["Testbrook Shelter (fictional)"]
    plan.items[1].options = ["enhance", "fill_gap"]
    again = ActionPlan.from_state(plan.to_state(), FW)
    assert again == plan


@pytest.mark.parametrize(
    ("state", "where"),
    [
        ({"items": "not a list"}, "field state.items"),
        ({"items": [{"indicator_id": "NOPE1"}]}, "field state.items[0]"),
        ({"items": ["text"]}, "field state.items[0]"),
    ],
)
def test_bad_state_names_the_field(state, where):
    """Does a damaged saved plan fail with an error naming the field and the fix?"""
    with pytest.raises(CourseInputError) as info:
        ActionPlan.from_state(state, FW)
    assert info.value.where == where
    assert "How to fix it" in str(info.value)


def test_unknown_options_in_state_are_dropped():
    """Are options the framework does not know dropped when a plan is read back?"""
    plan = ActionPlan.from_state(
        {"items": [{"indicator_id": "RST1", "options": ["fill_gap", "teleport"]}]}, FW
    )
    assert plan.items[0].options == ["fill_gap"]


def test_check_plan_names_missing_priority_parts_and_areas():
    """Does the check say what each priority gap lacks and which areas are left out?"""
    a = community()
    plan = ActionPlan.from_assessment(a, top=3)
    messages = check_plan(plan, a)
    top = gaps(a, top=3)
    for rank, ind_id in zip(top["rank"], top["indicator_id"], strict=True):
        assert any(m.startswith(f"Priority gap {rank} ({ind_id}") for m in messages)
    assert any("still needs a goal, a first step" in m for m in messages)
    # Only Restoration gaps are in the plan: Rescue and response (1 Emerging, 33/100) is
    # left out and named; areas at Established (67/100) or above are not.
    assert any(
        m.startswith("No action covers Rescue and response (coverage 33/100, below Established)")
        for m in messages
    )
    for name in ("Prevention", "Identification", "Partnership", "Justice"):
        assert not any(name in m for m in messages)


def test_complete_plan_over_every_weak_area_is_ready():
    """Is a plan with complete priority actions and one action per weak area ready?"""
    a = community()
    plan = ActionPlan.from_assessment(a, top=3)
    for item in plan.items:
        complete(item)
    assert check_plan(plan, a) != []
    item = plan.add_gap(a, FW.area("rescue_response").indicators[0].id)
    item.goal = "Strengthen this area"
    item.partners = item.partners or ["Harrow Bend Shelter (fictional)"]  # graded too
    assert check_plan(plan, a) == []


def test_missing_priority_gap_is_named():
    """Is a top gap removed from the plan reported as having no action?"""
    a = community()
    plan = ActionPlan.from_assessment(a, top=3)
    first = plan.items[0].indicator_id
    plan.remove(first)
    assert any(
        m == f"Priority gap 1 ({first}, Restoration) has no action yet: add it to the plan."
        for m in check_plan(plan, a)
    )


def test_plan_with_no_gaps_has_nothing_to_check():
    """Does an assessment rated at the top everywhere leave the check empty?"""
    a = Assessment.blank("Top (fictional)", FW)
    for ind in FW.indicators:
        a.set_response(ind.id, rating=FW.max_rating)
    assert check_plan(ActionPlan.from_assessment(a), a) == []


@pytest.mark.parametrize(
    ("owner", "is_name"),
    [
        ("Maria Lopez", True),
        ("Dr Smith", True),
        ("Mrs. Okafor-Bell", True),
        ("Sarah", True),
        ("coalition coordinator", False),
        ("Youth Services Lead", False),
        ("Task Force Chair", False),
        ("Faith Community Liaison", False),
        ("Sheriff's Office", False),
        ("", False),
        ("the school counsellors", False),
    ],
)
def test_personal_name_guess(owner, is_name):
    """Does the owner check tell a person's name from a role?"""
    assert ap.looks_like_personal_name(owner) is is_name


def test_owner_warnings_cover_names_email_and_phone():
    """Does an owner with a name, an email or a phone number get a warning?"""
    assert "person's name" in " ".join(ap.owner_warnings("Maria Lopez"))
    assert "email" in " ".join(ap.owner_warnings("coordinator, coord@example.org"))
    assert "phone" in " ".join(ap.owner_warnings("lead, 555 123 4567"))
    assert ap.owner_warnings("coalition coordinator") == []


def test_item_warnings_for_dates_and_free_text():
    """Are a past date, an unreadable date and contact details in free text flagged?"""
    item = PlanItem("RST1", target_date="2001-01-01")
    assert any("in the past" in w for w in ap.item_warnings(item))
    item.target_date = "next spring"
    assert any("YEAR-MONTH-DAY" in w for w in ap.item_warnings(item))
    item.target_date = NEXT_YEAR
    item.first_step = "Write to someone@example.org"
    assert any("email" in w for w in ap.item_warnings(item))


def test_check_plan_reports_item_warnings():
    """Does the plan check repeat each action's owner warning, with its indicator?"""
    a = community()
    plan = ActionPlan.from_assessment(a, top=1)
    complete(plan.items[0], owner="Maria Lopez")
    assert any(
        m.startswith(f"{plan.items[0].indicator_id}: ") and "person's name" in m
        for m in check_plan(plan, a)
    )


def test_parse_target_date():
    """Is an ISO date read, and anything else refused with a how-to?"""
    assert ap.parse_target_date(" 2030-04-01 ") == date(2030, 4, 1)
    with pytest.raises(ValueError, match="for example 2026-03-31"):
        ap.parse_target_date("01/04/2030")


def test_partner_choices_put_the_area_first():
    """Are inventory organizations serving the gap's area suggested first, without repeats?"""
    a = community()
    inventory = [
        InventoryEntry("Zeta Clinic (fictional)", focus_areas=["identification"]),
        InventoryEntry("Aftercare House (fictional)", focus_areas=["restoration"]),
        InventoryEntry("testbrook shelter (fictional)", focus_areas=["rescue_response"]),
    ]
    choices = ap.partner_choices(a, inventory, area_id="restoration")
    assert choices[0] == "Aftercare House (fictional)"
    assert len([c for c in choices if c.casefold() == "testbrook shelter (fictional)"]) == 1
    assert "Zeta Clinic (fictional)" in choices
    # Without an inventory, the assessment's organizations are the suggestions.
    assert ap.partner_choices(a, None) == ["Testbrook Shelter (fictional)"]


def hostile_plan() -> ActionPlan:
    """A plan whose free text holds markup."""
    a = community()
    plan = ActionPlan.from_assessment(a, top=2)
    complete(plan.items[0])
    plan.items[0].goal = "<script>alert(1)</script> *bold* [link](x)"
    plan.items[0].partners = ["A & B (fictional)"]
    return plan


def test_html_export_escapes_and_labels_fiction():
    """Is the learner's text escaped in the HTML export, and the community labelled fictional?"""
    page = ap.plan_to_html(hostile_plan(), FW)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "A &amp; B (fictional)" in page
    assert "fictional example" in page.lower()


def test_markdown_export_escapes_markup():
    """Is markup in the learner's text escaped in the Markdown export?"""
    text = ap.plan_to_markdown(hostile_plan(), FW)
    assert "<script>" not in text
    assert r"\*bold\*" in text and r"\[link\]\(x\)" in text
    assert text.startswith("# Action plan: Testbrook \\(fictional\\)")


def test_csv_export_has_one_row_per_action():
    """Does the CSV hold one row per action, with the option labels and the owner?"""
    plan = hostile_plan()
    rows = list(csv.DictReader(io.StringIO(ap.plan_to_csv(plan, FW))))
    assert [r["indicator_id"] for r in rows] == [i.indicator_id for i in plan.items]
    assert rows[0]["owner"] == "coalition coordinator"
    assert rows[0]["options"] == FW.options[plan.items[0].options[0]]
    assert rows[0]["target_date"] == NEXT_YEAR


def test_export_plan_is_atomic_and_keeps_the_previous_version(tmp_path):
    """Does a second export keep the first as .bak, and is an unknown kind refused?"""
    plan = hostile_plan()
    first = ap.export_plan(plan, FW, "md", folder=tmp_path)
    plan.items[0].goal = "A new goal"
    second = ap.export_plan(plan, FW, "md", folder=tmp_path)
    assert first == second == tmp_path / "action_plan.md"
    assert "A new goal" in second.read_text(encoding="utf-8")
    assert "script" in (tmp_path / "action_plan.md.bak").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="use md, html or csv"):
        ap.export_plan(plan, FW, "pdf", folder=tmp_path)


def test_item_completeness():
    """Does an action list what it still needs, and count as started once edited?"""
    item = PlanItem("RST1", options=["fill_gap"], suggested_option="fill_gap")
    assert not item.is_started()
    assert item.missing() == ["a goal", "a first step", "an owner (a role)", "a target date"]
    complete(item)
    assert item.is_complete() and item.is_started()


def test_needs_action_threshold_follows_the_scale():
    """Is the coverage floor the scale's second-highest level (Established, 66.7)?"""
    assert ap.needs_action_below(FW) == 66.7
