"""One rule set for "ready": the action-plan widget says Ready exactly when every graded
check of the same saved work passes (a property test over generated plans)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from endtrafficking import readiness
from endtrafficking.action_plan import ActionPlan, PlanItem
from endtrafficking.assessment import Assessment
from endtrafficking.framework import load_framework
from endtrafficking.grading import checks
from endtrafficking.scoring import gaps
from endtrafficking.storage import save_assessment
from endtrafficking.widgets.action_plan import ActionPlanExercise
from endtrafficking.workspace import ASSESSMENT_FILE, work_dir

FW = load_framework()
COMMUNITY = "Harrow Bend (fictional)"
OWNERS = ("coalition coordinator", "Maria Lopez", "", "lead, lead@example.org")
DAYS = (-30, 0, 200, 365 * 4, 365 * 7)

ratings = st.lists(
    st.sampled_from([None, 0, 1, 2, 3]), min_size=len(FW.indicators), max_size=len(FW.indicators)
)
items = st.lists(
    st.fixed_dictionaries(
        {
            "options": st.lists(
                st.sampled_from(["enhance", "come_alongside", "fill_gap"]), max_size=2, unique=True
            ),
            "partners": st.sampled_from([[], ["Harrow Bend Shelter (fictional)"]]),
            "goal": st.sampled_from(["", "Open a drop-in centre with partners."]),
            "first_step": st.sampled_from(["", "Meet the shelter network."]),
            "owner": st.sampled_from(OWNERS),
            "date": st.one_of(st.sampled_from(DAYS), st.sampled_from(["", "next spring"])),
        }
    ),
    max_size=12,
)


def _assessment(values: list[int | None]) -> Assessment:
    a = Assessment.blank(COMMUNITY, FW)
    for ind, value in zip(FW.indicators, values, strict=True):
        a.set_response(ind.id, rating=value)
    return a


def _plan(a: Assessment, specs: list[dict], community: str) -> ActionPlan:
    plan = ActionPlan(community=community)
    ranked = list(gaps(a)["indicator_id"])
    for ind_id, spec in zip(ranked, specs, strict=False):
        when = spec["date"]
        if isinstance(when, int):
            when = (date.today() + timedelta(days=when)).isoformat()
        plan.items.append(
            PlanItem(
                str(ind_id),
                options=list(spec["options"]),
                partners=list(spec["partners"]),
                goal=spec["goal"],
                first_step=spec["first_step"],
                owner=spec["owner"],
                target_date=when,
            )
        )
    return plan


def _graded_problems() -> list[str]:
    folder = work_dir()
    keys = [k for (e, k), c in checks.CRITERIA.items() if e == "action_plan" and not c.takes_answer]
    assert set(keys) == set(readiness.PLAN_RULES), "every graded plan check is a readiness rule"
    return [p for key in keys for p in checks.run_check("action_plan", key, folder)]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(values=ratings, specs=items, same_community=st.booleans())
def test_widget_ready_exactly_when_every_graded_check_passes(values, specs, same_community):
    """Whenever the widget says Ready, every graded plan check of the saved work passes,
    and whenever one fails, the widget lists a to-do."""
    a = _assessment(values)
    save_assessment(a, work_dir() / ASSESSMENT_FILE)
    widget = ActionPlanExercise(FW)
    widget.assessment = a
    widget.plan = _plan(a, specs, COMMUNITY if same_community else "Elsewhere (fictional)")
    widget._save()
    widget._refresh_check()
    shown_ready = "Ready:" in widget.check_html.value
    graded = _graded_problems()
    assert shown_ready == (graded == []), (widget.check_html.value, graded)
    assert widget.check_messages() == readiness.plan_problems(widget.plan, a)
    assert sorted(widget.check_messages()) == sorted(graded)


def test_strong_area_with_one_gap_needs_no_action_anywhere():
    """An area rated 3,3,3,3,2 is not weak: neither the widget nor grading asks an action
    for it (the mismatch that once said Ready while grading failed is gone both ways)."""
    a = Assessment.blank(COMMUNITY, FW)
    for ind in FW.indicators:
        a.set_response(ind.id, rating=3)
    area = FW.areas[0]
    a.set_response(area.indicators[-1].id, rating=2)
    plan = ActionPlan.from_assessment(a)
    for item in plan.items:
        item.options, item.goal, item.first_step = ["enhance"], "Keep it up.", "Meet."
        item.owner, item.target_date = "coalition coordinator", date.today().isoformat()
    assert readiness.plan_areas(plan, a) == []
    assert readiness.plan_problems(plan, a) == []


def test_a_date_more_than_five_years_away_is_not_ready():
    """Is a target date beyond five years a to-do in the widget's rules, as in grading?"""
    plan = ActionPlan(items=[PlanItem("RST1", target_date="2099-01-01")])
    [message] = readiness.plan_dates(plan, date(2030, 1, 1))
    assert "more than 5 years away" in message
