"""The learner's own work, gathered into one self-contained page."""

from __future__ import annotations

import re

from endtrafficking.course_summary import gather_work, html_body, summary_html, without_source_keys

from .learner_work import answer_everything, complete_exercises


def test_empty_work_says_what_to_do(work):
    """With nothing saved, does each section say where to build it, without errors?"""
    text = summary_html(gather_work(work))
    assert "Not started yet: build it in Step 2, Possibility." in text
    assert "Not started yet: complete it in Step 3, Context." in text
    assert "Modules complete: 0 of 5." in text


def test_complete_work_is_all_there(work):
    """Does the summary hold the inventory, the assessment chart and gaps, plan and reflections?"""
    complete_exercises(work)
    answer_everything(work)
    text = summary_html(gather_work(work), "Sam Rivera")
    assert "My work in the course: Sam Rivera" in text
    assert "Elderbrook County (fictional)" in text and "FICTIONAL EXAMPLE" in text
    assert re.search(r'<img src="data:image/png;base64,[^"]+" alt="[^"]{20,}"', text)
    assert "highest-priority gaps" in text
    assert "<h3>Step 1, Strategy" in text  # a reflection, under its lesson's title
    assert "Modules complete: 5 of 5." in text
    assert "http://" not in text and "https://" not in text  # self-contained


def test_free_text_is_escaped(work):
    """Is markup a learner typed into a reflection shown as text?"""
    answer_everything(work, ["00_welcome"])
    path = work / "reflections.json"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "The Restoration gap", "<script>alert(1)</script> gap"
        ),
        encoding="utf-8",
    )
    text = summary_html(gather_work(work))
    assert "<script>alert" not in text and "&lt;script&gt;" in text


def test_a_damaged_file_is_named_not_raised(work):
    """Does a damaged saved plan give a note in the summary instead of an error?"""
    complete_exercises(work)
    (work / "action_plan.json").write_text(
        '{"kind": "action_plan", "state": {"items": 5}}', encoding="utf-8"
    )
    work_ = gather_work(work)
    assert any("action plan could not be read" in n for n in work_.notes)
    assert "action plan could not be read" in summary_html(work_)


def test_body_extraction_moves_headings_down():
    """Does a standalone page's body come out with h1 and h2 turned into h3 and h4?"""
    page = "<html><head><title>x</title></head><body><h1>A</h1><h2>B</h2></body></html>"
    assert html_body(page) == "<h3>A</h3><h4>B</h4>"


def test_source_keys_are_dropped_for_outside_readers():
    """Are [F3, F5]-style keys removed from text meant for people outside the course?"""
    assert without_source_keys("Call 1-888-373-7888 [F3, F5]. Text 233733 [F3].") == (
        "Call 1-888-373-7888. Text 233733."
    )
