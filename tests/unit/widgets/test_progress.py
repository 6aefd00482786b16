"""The then-and-now view of module 03."""

from __future__ import annotations

import json

from endtrafficking import saved_assessment
from endtrafficking.saved_assessment import save_learner_assessment, saved_assessment_path
from endtrafficking.widgets.progress import NO_EARLIER, ThenAndNow, then_and_now


def _reassess(filled) -> None:
    """Save, pretend it was a year ago, change a rating and save again today."""
    path = save_learner_assessment(filled)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["assessed_on"] = "2024-05-01"
    path.write_text(json.dumps(data), encoding="utf-8")
    saved_assessment._checked.clear()
    for ind_id in ("RST1", "RST2", "RST3", "RST4", "RST5"):
        filled.set_response(ind_id, rating=3)
    save_learner_assessment(filled)


def test_note_only_when_there_is_nothing_earlier(filled):
    """Does it show only a short note with no assessment, or with no earlier one?"""
    w = then_and_now()
    assert "there is no earlier assessment" in w.view.value and w.controls.layout.display == "none"
    save_learner_assessment(filled)
    w.update_button.click()
    assert NO_EARLIER[:30] in w.view.value


def test_compares_with_the_earlier_snapshot(filled):
    """After re-assessing on a later day, does it show the radar, the changes and the weakest area?"""
    _reassess(filled)
    w = ThenAndNow()
    assert w.controls.layout.display is None and w.choice.value == "2024-05-01"
    assert "<img" in w.view.value and "then (2024-05-01)" in w.view.value
    assert (
        "RST1 (Restoration): 0 -&gt; 3" in w.view.value and "weakest area changed" in w.view.value
    )


def test_update_shows_a_new_change(filled):
    """Does Update the comparison pick up a rating changed since the view was built?"""
    _reassess(filled)
    w = ThenAndNow()
    assert "JUS1 (Justice)" not in w.view.value
    filled.set_response("JUS1", rating=0)
    save_learner_assessment(filled)
    w.update_button.click()
    assert "JUS1 (Justice): 3 -&gt; 0" in w.view.value
    assert saved_assessment_path().exists()
