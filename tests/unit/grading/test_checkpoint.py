"""Helpers called inside graded notebooks."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from endtrafficking.grading import checkpoint
from endtrafficking.workspace import WORK_ENV


def test_assignment_folder_is_the_notebook_folder(tmp_path: Path) -> None:
    """Is a learner's assignment folder used as it is?"""
    assert checkpoint.assignment_folder(tmp_path) == tmp_path.resolve()


def test_source_folder_work_goes_to_hidden_folder(tmp_path: Path) -> None:
    """In an instructor's source folder, does work go to the hidden, never-released folder?"""
    (tmp_path / "nbgrader_config.py").write_text("")
    folder = tmp_path / "source" / "03_context"
    folder.mkdir(parents=True)
    assert checkpoint.assignment_folder(folder) == folder.resolve() / checkpoint.PREVIEW_FOLDER


def test_use_assignment_folder_points_the_widgets_there(tmp_path: Path, monkeypatch) -> None:
    """Does using the assignment folder set the widgets' working folder?"""
    monkeypatch.delenv(WORK_ENV, raising=False)
    folder = checkpoint.use_assignment_folder(tmp_path)
    assert os.environ[WORK_ENV] == str(folder) == str(tmp_path.resolve())


def test_no_widget_while_grading(tmp_path: Path, monkeypatch) -> None:
    """While nbgrader grades, is a short note shown instead of building the widget?"""
    monkeypatch.setenv(checkpoint.EXECUTION_ENV, "autograde")
    monkeypatch.chdir(tmp_path)
    note = checkpoint.open_exercise("assessment")
    assert "not shown while grading" in repr(note)
    assert "<p>" in note._repr_html_()
    assert os.environ[WORK_ENV] == str(tmp_path.resolve())


def test_unknown_exercise_is_refused() -> None:
    """Is an unknown exercise name refused with the known ones listed?"""
    with pytest.raises(ValueError, match="model_mapping"):
        checkpoint.open_exercise("quiz")


def test_assessment_comes_along_to_the_plan(tmp_path: Path) -> None:
    """Is the learner's assessment copied from the sibling 03_context assignment?"""
    (tmp_path / "03_context").mkdir()
    (tmp_path / "03_context" / "assessment.json").write_text("{}")
    plan = tmp_path / "04_engage"
    plan.mkdir()
    note = checkpoint.bring_assessment(plan)
    assert "copied" in note and (plan / "assessment.json").exists()
    assert checkpoint.bring_assessment(plan) is None


def test_checkpoint_3_starts_from_the_module_assessment(tmp_path: Path) -> None:
    """Does checkpoint 3 start from the learner's module assessment, found in a course
    folder beside the fetched checkpoint (as in a hub's home), so nobody rates twice?"""
    course = tmp_path / "endtrafficking"
    for part in ("modules", "engage_lessons", "my_work"):
        (course / part).mkdir(parents=True)
    (course / "my_work" / "assessment.json").write_text('{"state": "module work"}')
    fetched = tmp_path / "03_context"
    fetched.mkdir()
    assert "copied" in checkpoint.bring_assessment(fetched)
    assert (fetched / "assessment.json").read_text() == '{"state": "module work"}'
    (fetched / "assessment.json").write_text('{"state": "reviewed"}')
    assert checkpoint.bring_assessment(fetched) is None  # the learner's review is kept
    assert (fetched / "assessment.json").read_text() == '{"state": "reviewed"}'
    assert "assessment" in checkpoint.NEEDS_ASSESSMENT


def test_check_work_raises_plain_assertion(tmp_path: Path, reference_folders, monkeypatch) -> None:
    """While grading, does a failed check raise an AssertionError with plain sentences, and
    a met one pass?"""
    monkeypatch.setenv(checkpoint.EXECUTION_ENV, "autograde")
    with pytest.raises(AssertionError) as caught:
        checkpoint.check_work("assessment", "all_rated", folder=tmp_path)
    assert str(caught.value).startswith("Your community assessment was not found")
    assert "How to fix it:" in str(caught.value)
    checkpoint.check_work("assessment", "all_rated", folder=reference_folders["03_context"])
    checkpoint.check_work(
        "assessment", "weakest_area", "restoration", folder=reference_folders["03_context"]
    )


@pytest.mark.parametrize(
    ("call", "ok"),
    [
        (lambda: checkpoint.expect_one_of(" Restoration ", ["restoration", "justice"]), True),
        (lambda: checkpoint.expect_one_of("aftercare", ["restoration"]), False),
        (lambda: checkpoint.expect_some_of(["act", "Means"], ["act", "means", "purpose"]), True),
        (lambda: checkpoint.expect_some_of("act", ["act"]), False),
        (lambda: checkpoint.expect_some_of([], ["act"]), False),
        (lambda: checkpoint.expect_some_of(["act", "motive"], ["act"]), False),
        (lambda: checkpoint.expect_true_or_false(False), True),
        (lambda: checkpoint.expect_true_or_false("False"), False),
        (lambda: checkpoint.expect_whole_number(10), True),
        (lambda: checkpoint.expect_whole_number(True), False),
        (
            lambda: checkpoint.expect_value(
                ["purpose", "ACT", "means"], ["act", "means", "purpose"]
            ),
            True,
        ),
        (lambda: checkpoint.expect_value("come alongside", "come_alongside"), True),
        (lambda: checkpoint.expect_value("fill_gap", "come_alongside"), False),
        (lambda: checkpoint.expect_value([{"a": 1}], ["a"]), False),
    ],
)
def test_answer_form_helpers(call, ok: bool) -> None:
    """Do the answer checks accept answers of the right form and refuse the rest, plainly?"""
    if ok:
        call()
    else:
        with pytest.raises(AssertionError):
            call()


def test_focus_area_ids_match_the_framework() -> None:
    """Are the quick focus-area ids those of the validated framework?"""
    from endtrafficking.framework import FRAMEWORK_FILE, load_framework

    assert checkpoint.FRAMEWORK_FILE == FRAMEWORK_FILE
    assert checkpoint.focus_area_ids() == [a.id for a in load_framework().areas]


def test_checkpoint_imports_nothing_heavy() -> None:
    """Does importing the checkpoint helpers leave pandas and jsonschema unimported
    (every graded kernel imports it)?"""
    import subprocess
    import sys

    code = "import sys, endtrafficking.grading.checkpoint as c; c.focus_area_ids(); print(sorted(m for m in ('pandas','jsonschema','ipywidgets') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_learner_sees_a_note_not_a_traceback(tmp_path: Path, monkeypatch) -> None:
    """Outside grading, does an unmet check show a note instead of raising?"""
    notes: list = []
    monkeypatch.setattr("IPython.display.display", notes.append)
    checkpoint.check_work("assessment", "all_rated", folder=tmp_path)
    shown = " ".join(n.data for n in notes)
    assert "Still to do before you hand in" in shown and "assessment" in shown.lower()
    notes.clear()
    # A question's form check says nothing to a learner: the question shows its own state,
    # and a note drawn when the page opened would go stale once they answer.
    checkpoint.check_answer("q1", folder=tmp_path)
    assert notes == []


def test_answers_are_checked_from_the_saved_file(tmp_path: Path, monkeypatch) -> None:
    """While grading, are a saved right answer accepted and a wrong or missing one refused?"""
    from endtrafficking.grading.verify import ANSWERS_FILE, ANSWERS_KIND

    monkeypatch.setenv(checkpoint.EXECUTION_ENV, "autograde")
    state = {"answers": {"q1": {"selected": ["survey"]}}}
    (tmp_path / ANSWERS_FILE).write_text(json.dumps({"kind": ANSWERS_KIND, "state": state}))
    checkpoint.check_answer("q1", folder=tmp_path)
    checkpoint.expect_answer("q1", "survey", folder=tmp_path)
    with pytest.raises(AssertionError, match="Not quite"):
        checkpoint.expect_answer("q1", "swot_analysis", "Why.", folder=tmp_path)
    with pytest.raises(AssertionError, match="No answer is chosen yet for q2"):
        checkpoint.check_answer("q2", folder=tmp_path)


def test_question_saves_ids_to_the_assignment_folder(tmp_path: Path, monkeypatch) -> None:
    """Does a graded question show the same widget, without feedback, and save option ids
    to the assignment's answers file?"""
    from endtrafficking.grading.verify import ANSWERS_FILE
    from endtrafficking.widgets.knowledge_check import KnowledgeCheck

    monkeypatch.chdir(tmp_path)
    widget = checkpoint.question("q1", checkpoint.focus_area_options())
    assert isinstance(widget, KnowledgeCheck) and widget.check_button not in widget.children
    widget.choice.value = "restoration"
    saved = json.loads((tmp_path / ANSWERS_FILE).read_text())["state"]["answers"]["q1"]
    assert saved == {"selected": ["restoration"], "kind": "single"}
    many = checkpoint.question("first_priority", checkpoint.indicator_options())
    assert many.choice.__class__.__name__ == "Dropdown"


def test_reflection_is_shown_to_the_instructor_while_grading(tmp_path: Path, monkeypatch) -> None:
    """Does the reflection cell show the saved text at grading time (for formgrader)?"""
    monkeypatch.chdir(tmp_path)
    box = checkpoint.reflection()
    box.text.value = "Our <team> would come alongside the shelter network."
    monkeypatch.setenv(checkpoint.EXECUTION_ENV, "autograde")
    shown = checkpoint.reflection()
    assert "(8 words)" in repr(shown) and "&lt;team&gt;" in shown._repr_html_()
