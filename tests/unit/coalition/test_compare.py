"""Progress over time: coverage change per area, indicators that moved, the weakest area."""

from __future__ import annotations

import pytest

from endtrafficking.coalition.compare import compare_assessments, comparison_data, comparison_lines
from endtrafficking.errors import CourseInputError
from endtrafficking.examples import example_assessment


@pytest.fixture
def then_and_now():
    old = example_assessment()
    old.assessed_on = "2024-05-01"
    new = example_assessment()
    new.assessed_on = "2025-05-03"
    for ind_id in ("RST1", "RST2", "RST4", "RST5"):
        new.set_response(ind_id, rating=3)
    new.set_response("JUS1", rating=1)
    return old, new


def test_areas_and_indicators_that_moved(then_and_now):
    """Does the comparison give each area's change and list the indicators that rose or fell?"""
    comparison = compare_assessments(*then_and_now)
    changes = {a.area_id: a.change for a in comparison.areas}
    assert changes["restoration"] > 50 and changes["justice"] < 0 and changes["prevention"] == 0
    assert [i.indicator_id for i in comparison.improved] == ["RST1", "RST2", "RST4", "RST5"]
    assert [i.indicator_id for i in comparison.fell] == ["JUS1"]
    assert (
        comparison.then_label == "then (2024-05-01)" and comparison.now_label == "now (2025-05-03)"
    )


def test_weakest_area_change_is_said(then_and_now):
    """Does it say the weakest area changed from Restoration, and say so when it did not?"""
    comparison = compare_assessments(*then_and_now)
    assert comparison.weakest_then == "Restoration" and comparison.weakest_changed
    assert "changed" in comparison.weakest_sentence()
    same = compare_assessments(then_and_now[0], then_and_now[0])
    assert not same.weakest_changed and same.improved == () and same.fell == ()
    assert "still Restoration" in same.weakest_sentence()


def test_text_and_json_output(then_and_now):
    """Do the text lines and the JSON hold the same changes?"""
    comparison = compare_assessments(*then_and_now)
    text = "\n".join(comparison_lines(comparison))
    assert "RST1 (Restoration): 0 -> 3" in text and "JUS1 (Justice): 3 -> 1" in text
    data = comparison_data(comparison)
    assert data["weakest_changed"] is True and len(data["areas"]) == 6


def test_notes_for_odd_pairs(then_and_now):
    """Are a swapped order, another community and another framework version noted?"""
    old, new = then_and_now
    new.community = "Lakeside (fictional)"
    new.file_framework_version, old.file_framework_version = "1.0", "0.9"
    notes = " ".join(compare_assessments(new, old).notes)
    assert "different communities" in notes and "framework versions" in notes and "order" in notes


def test_different_frameworks_are_refused(then_and_now, tmp_path):
    """Is a comparison across frameworks with other indicators refused with the fix?"""
    import yaml

    from endtrafficking.assessment import Assessment
    from endtrafficking.framework import load_framework
    from endtrafficking.paths import data_file

    data = yaml.safe_load(data_file("framework.yaml").read_text(encoding="utf-8"))
    data["areas"][0]["indicators"] = data["areas"][0]["indicators"][:4]
    path = tmp_path / "framework.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    other = Assessment.blank("X (fictional)", load_framework(path))
    with pytest.raises(CourseInputError, match="same framework"):
        compare_assessments(other, then_and_now[1])
