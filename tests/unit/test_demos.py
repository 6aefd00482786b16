"""The worked demonstrations on the fictional example community (modules 03 and 04)."""

from __future__ import annotations

import re
from datetime import date

from endtrafficking.action_plan import check_plan, item_warnings
from endtrafficking.demos import example_assessment_demo, example_plan, example_plan_demo
from endtrafficking.examples import example_inventory


def test_assessment_demo_is_labelled_fictional_and_has_text_equivalents():
    """Does the demo say the community is fictional, and give every chart a text equivalent?"""
    page = example_assessment_demo().data
    assert "Elderbrook County (fictional)" in page and "Fictional example." in page
    images = re.findall(r'<img src="data:image/png;base64,[^"]+" alt="([^"]+)"', page)
    assert len(images) == 2
    assert images[0].startswith("Radar chart of coverage") and "Restoration 7" in images[0]
    assert images[1].startswith("Indicator heatmap")
    assert page.count(", in words:</strong>") == 2
    assert "Readiness and balance:" in page and "hides a gap in Restoration" in page
    assert re.search(r"<td>1</td>\s*<td>RST1</td>", page)


def test_worked_plan_matches_what_the_lesson_says():
    """Does the worked plan come alongside named partners, use roles, and leave out the areas
    the lesson names (Prevention, Rescue and response, Partnership)?"""
    plan, assessment = example_plan(today=date(2030, 1, 1))
    inventory = {e.organization for e in example_inventory()}
    assert [i.indicator_id for i in plan.items] == ["RST1", "RST2", "RST4"]
    for item in plan.items:
        assert "come_alongside" in item.options and item.is_complete()
        assert item.partners and set(item.partners) <= inventory
        assert item.target_date == "2030-07-02"
    plan, assessment = example_plan()
    assert all(item_warnings(i) == [] for i in plan.items)
    left_out = [m.split(" (")[0] for m in check_plan(plan, assessment)]
    assert left_out == [
        "No action covers Prevention",
        "No action covers Rescue and response",
        "No action covers Partnership",
    ]


def test_plan_demo_shows_the_plan_and_its_check():
    """Does the plan demo show the actions, the fictional label and the plan check?"""
    page = example_plan_demo().data
    assert "Fictional example." in page and "task force victim-services coordinator" in page
    assert "What the plan check says" in page and "No action covers Partnership" in page
