"""Ranking a community's gaps for a role, pre-filling actions, and rendering the plan."""

from __future__ import annotations

import pytest

from endtrafficking.assessment import Assessment
from endtrafficking.role_plans import (
    GENERAL_ACTIONS,
    KEEP_STRONG,
    Plan,
    PlanAction,
    export_plan,
    initial_actions,
    inline_assessment,
    plan_html,
    plan_markdown,
    plan_warnings,
    role_gaps,
    suggest_action,
)
from endtrafficking.roles import load_role
from endtrafficking.scoring import gaps
from endtrafficking.workspace import work_dir


@pytest.fixture
def role():
    return load_role("educators")


def rated(framework, ratings: dict[str, int], default: int = 3) -> Assessment:
    """A fictional community rated ``default`` everywhere except ``ratings``."""
    a = Assessment.blank("Test Town (fictional)", framework)
    a.fictional = True
    for ind in framework.indicator_ids:
        a.set_response(ind, rating=ratings.get(ind, default))
    return a


def test_role_gaps_put_the_roles_indicators_first_by_severity(framework, role):
    """Are the role's own gaps ranked first, in the order of scoring.gaps, then the others?"""
    a = rated(framework, {"IDE3": 0, "PRE2": 1, "JUS1": 0, "RST1": 0, "PRE1": 2}, default=2)
    ranked = role_gaps(a, role)
    frame = gaps(a)
    frame = frame[frame["indicator_id"].isin(role.indicators)]
    order = {ind: n for n, ind in enumerate(role.indicators)}
    expected_mine = sorted(
        frame["indicator_id"],
        key=lambda i: (-float(frame.set_index("indicator_id").at[i, "severity"]), order[i]),
    )
    mine = [c.indicator_id for c in ranked if c.relevant]
    assert mine == expected_mine
    assert [c.relevant for c in ranked] == sorted((c.relevant for c in ranked), reverse=True)
    assert {"JUS1", "RST1"} <= {c.indicator_id for c in ranked if not c.relevant}
    assert ranked[0].indicator_id == "IDE3"


def test_quick_ratings_rank_lowest_first_and_not_sure_last(framework, role):
    """With quick ratings, do the lowest ratings come first, 'not sure' last, role only?"""
    quick = inline_assessment(
        role, {"PRE2": 2, "IDE1": 0, "IDE3": None, "IDE4": 1, "PRE3": 3, "PRE1": 0}, framework
    )
    ranked = role_gaps(quick, role, quick=True)
    assert [c.indicator_id for c in ranked] == ["IDE1", "PRE1", "IDE4", "PRE2", "IDE3"]
    assert all(c.relevant for c in ranked)


def test_inline_ratings_reject_indicators_outside_the_role(framework, role):
    """Is a quick rating for an indicator outside the role refused with a clear message?"""
    with pytest.raises(ValueError, match="JUS1 is not one of the indicators"):
        inline_assessment(role, {"JUS1": 1}, framework)


def test_a_strong_community_still_gets_three_actions(framework, role):
    """When every indicator is strong, are the role's own indicators offered to keep strong?"""
    ranked = role_gaps(rated(framework, {}), role)
    assert [c.indicator_id for c in ranked] == list(role.indicators)
    assert all(c.reason == KEEP_STRONG and c.suggested_option == "enhance" for c in ranked)
    assert len(initial_actions(role, ranked)) == 3


def test_suggest_action_prefers_an_unused_example_tagged_with_the_gap(role):
    """Does the pre-fill use an example for this gap and option, and avoid repeating one?"""
    first = suggest_action(role, "IDE3", "enhance")
    assert any(e.text == first and "IDE3" in e.indicators for e in role.examples("enhance"))
    tagged = [e.text for e in role.examples("come_alongside") if "PRE1" in e.indicators]
    assert len(tagged) >= 2
    assert suggest_action(role, "PRE1", "come_alongside", {tagged[0]}) == tagged[1]
    assert suggest_action(role, "JUS4", "fill_gap") == GENERAL_ACTIONS["fill_gap"]


def test_initial_actions_follow_the_gaps_with_different_texts(framework, role):
    """Do the first actions follow the top gaps and their suggested options, each text different?"""
    a = rated(framework, {"IDE3": 0, "PRE2": 1, "IDE4": 0})
    a.set_response("PRE2", organizations=["Youth Centre (fictional)"])
    ranked = role_gaps(a, role)
    actions = initial_actions(role, ranked)
    assert [x.indicator_id for x in actions] == [c.indicator_id for c in ranked[:3]]
    assert [x.option for x in actions] == [c.suggested_option for c in ranked[:3]]
    assert dict((x.indicator_id, x.option) for x in actions)["PRE2"] == "come_alongside"
    assert len({x.action for x in actions}) == 3


def _plan(framework, role, text: str) -> Plan:
    actions = [
        PlanAction("IDE3", "fill_gap", text, "Ask for | 10 min * now", "June"),
        PlanAction("PRE2", "enhance", "Plain action", "", ""),
    ]
    return Plan(role, framework, actions, "a <b>fictional</b> community", created="2026-01-01")


def test_markdown_escapes_learner_text(framework, role):
    """Is learner text in the Markdown export escaped, so it cannot inject markup or links?"""
    text = plan_markdown(_plan(framework, role, "Use <script>x</script> and [a](http://x) # no"))
    assert "<script>" not in text and "\\<script\\>" in text
    assert "\\[a\\](http://x)" in text and "\\# no" in text
    assert "Ask for \\| 10 min \\* now" in text
    assert "(not written yet)" in text and "1-888-373-7888" in text


def test_html_escapes_every_piece_of_text(framework, role):
    """Is the HTML export a full page with every learner string escaped?"""
    page = plan_html(_plan(framework, role, 'Use <script>alert("x")</script>'))
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "&lt;b&gt;fictional&lt;/b&gt;" in page
    assert "Fill a gap" in page and "IDE3" in page


def test_export_is_atomic_and_keeps_the_previous_version(framework, role):
    """Does a second export keep the first as .bak, and is a bad format refused?"""
    first = export_plan(_plan(framework, role, "First"), "md")
    assert first == work_dir() / "role_plan_educators.md"
    export_plan(_plan(framework, role, "Second"), "md")
    assert "Second" in first.read_text(encoding="utf-8")
    assert "First" in first.with_name(first.name + ".bak").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="not one of"):
        export_plan(_plan(framework, role, "x"), "pdf")


def test_privacy_warnings_name_the_action_and_field():
    """Does a personal email or phone number in free text get a warning that says where?"""
    actions = [
        PlanAction("IDE3", "enhance", "Write to jo@example.org", "", ""),
        PlanAction("IDE4", "enhance", "Put 1-888-373-7888 on the board", "", "call 555 201 3344"),
    ]
    found = plan_warnings(actions)
    assert len(found) == 2
    assert found[0].startswith("Action 1, the action:") and "email" in found[0]
    assert found[1].startswith("Action 2, 'by when':") and "phone" in found[1]
