"""The shared knowledge-check widget and its question banks, driven without a browser."""

from __future__ import annotations

import json
from pathlib import Path

import ipywidgets as widgets
import pytest
import yaml

from endtrafficking import knowledge_bank
from endtrafficking.widgets.knowledge_check import (
    KnowledgeCheck,
    KnowledgeCheckError,
    all_banks,
    knowledge_check,
    load_bank,
    saved_answers,
)
from endtrafficking.workspace import KNOWLEDGE_CHECKS_FILE, work_dir

BANK = {
    "lesson": "99_test",
    "checks": [
        {
            "id": "one",
            "kind": "single",
            "question": "Which <one>?",
            "options": [
                {"text": "Right", "correct": True, "feedback": "Because right."},
                {"text": "Wrong", "correct": False, "feedback": "Because wrong."},
            ],
            "explanation": "The overall why.",
            "sources": ["S3"],
        },
        {
            "id": "many",
            "kind": "multiple",
            "question": "Which ones?",
            "options": [
                {"id": "x", "text": "X", "correct": True, "feedback": "X is in."},
                {"id": "y", "text": "Y", "correct": True, "feedback": "Y is in."},
                {"id": "z", "text": "Z", "correct": False, "feedback": "Z is out."},
            ],
        },
    ],
}


@pytest.fixture
def banks(tmp_path, monkeypatch) -> Path:
    """A temporary bank folder holding 99_test.yaml."""
    folder = tmp_path / "knowledge_checks"
    folder.mkdir()
    (folder / "99_test.yaml").write_text(yaml.safe_dump(BANK), encoding="utf-8")
    monkeypatch.setattr(knowledge_bank, "bank_dir", lambda: folder)
    return folder


def _bank_with(folder: Path, change) -> Path:
    data = json.loads(json.dumps(BANK))
    change(data)
    path = folder / "99_test.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _saved() -> dict:
    return json.loads((work_dir() / KNOWLEDGE_CHECKS_FILE).read_text(encoding="utf-8"))


def test_every_course_bank_is_valid():
    """Does every bank in course/knowledge_checks load and pass validation?"""
    banks = all_banks()
    assert {"00_welcome", "01_strategy", "02_possibility"} <= set(banks)
    for lesson_id, checks in banks.items():
        assert checks, lesson_id
        for check in checks.values():
            assert check.id.startswith(f"{lesson_id}.")
            assert all(o.feedback.strip() for o in check.options)


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [
        (
            lambda d: d["checks"][0]["options"][1].update(correct=True),
            "checks[0].options",
            "exactly one correct",
        ),
        (
            lambda d: d["checks"][1]["options"][0].pop("feedback"),
            "checks[1].options[0]",
            "feedback",
        ),
        (lambda d: d["checks"][0].update(sources=["S3", "ZZ9"]), "checks[0].sources[1]", "ZZ9"),
        (lambda d: d.update(lesson="01_strategy"), "field lesson", "file is named"),
        (lambda d: d["checks"][1].update(id="one"), "checks[1].id", "used twice"),
        (
            lambda d: [o.update(correct=False) for o in d["checks"][1]["options"]],
            "checks[1].options",
            "at least one correct",
        ),
        (lambda d: d["checks"][0].update(kind="essay"), "checks[0].kind", "essay"),
    ],
)
def test_bad_bank_is_named(banks, change, where, words):
    """Is each kind of broken bank refused, naming the file, the field and a fix?"""
    path = _bank_with(banks, change)
    with pytest.raises(KnowledgeCheckError) as info:
        load_bank(path)
    message = str(info.value)
    assert "99_test.yaml" in message and where in message and words in message
    assert "How to fix it" in message


def test_broken_bank_shows_a_message_not_a_traceback(banks):
    """Does a broken or missing bank show a message in the widget instead of raising?"""
    _bank_with(banks, lambda d: d["checks"][0]["options"][1].update(correct=True))
    shown = knowledge_check("99_test.one")
    assert isinstance(shown, widgets.HTML) and "exactly one correct" in shown.value
    assert "no question bank" in knowledge_check("98_none.one").value
    assert "not a knowledge-check id" in knowledge_check("nodot").value
    _bank_with(banks, lambda d: None)
    assert "use one of" in knowledge_check("99_test.missing").value


def test_single_answer_right(banks):
    """Does a right single answer say Correct, explain every option and save correct=True?"""
    check = knowledge_check("99_test.one")
    assert isinstance(check, KnowledgeCheck) and check.choice is not None
    assert check.choice.description and sorted(o[0] for o in check.choice.options) == [
        "Right",
        "Wrong",
    ]
    check.choice.value = "a"
    check.check_button.click()
    text = check.feedback.value
    assert "Correct" in text and "Because right." in text and "Because wrong." in text
    assert "You chose this, and it is right" in text
    assert "The overall why." in text and "[S3]" in text
    saved = _saved()["state"]["answers"]["99_test.one"]
    assert saved == {"selected": ["a"], "checked": True, "correct": True, "attempts": 1}


def test_single_answer_wrong(banks):
    """Does a wrong answer explain why it is wrong and which option is right, without 'Correct'?"""
    check = knowledge_check("99_test.one")
    check.choice.value = "b"
    check.check_button.click()
    text = check.feedback.value
    assert "Not quite" in text and "Correct." not in text
    assert "You chose this, but it is not right" in text and "Because wrong." in text
    assert "You did not choose this, but it is right" in text
    assert _saved()["state"]["answers"]["99_test.one"]["correct"] is False


def test_multiple_answer_needs_every_correct_option(banks):
    """Is a partial multiple answer marked not yet right, naming the missed option?"""
    check = knowledge_check("99_test.many")
    assert len(check.boxes) == 3 and all(box.description for box in check.boxes)
    check.box("x").value = True
    check.check_button.click()
    assert check.result is not None and not check.result.correct
    assert "You did not choose this, but it is right" in check.feedback.value
    check.box("y").value = True
    assert check.feedback.value == ""  # changing the answer clears stale feedback
    check.check_button.click()
    assert check.result.correct and check.attempts == 2
    assert _saved()["state"]["answers"]["99_test.many"]["selected"] == ["x", "y"]


def test_checking_without_an_answer_asks_for_one(banks):
    """Does Check with nothing chosen ask for an answer and save nothing as checked?"""
    check = knowledge_check("99_test.one")
    check.check_button.click()
    assert "Choose an answer first" in check.feedback.value
    assert saved_answers() == {}


def test_answers_come_back_after_a_restart(banks):
    """Does rebuilding the check (a kernel restart) restore the choice and its feedback?"""
    first = knowledge_check("99_test.many")
    first.select(["x", "z"])
    first.check_button.click()
    again = knowledge_check("99_test.many")
    assert again.selected == ("x", "z")
    assert "Z is out." in again.feedback.value and again.attempts == 1
    assert "restored" in again.status.value


def test_unchecked_choice_is_saved_and_restored(banks):
    """Is a choice saved as soon as it is made, before Check is pressed?"""
    knowledge_check("99_test.one").choice.value = "b"
    again = knowledge_check("99_test.one")
    assert again.selected == ("b",) and again.feedback.value == ""


def test_two_checks_share_the_file_without_overwriting(banks):
    """Do two checks saving to the same file keep each other's answers?"""
    one, many = knowledge_check("99_test.one"), knowledge_check("99_test.many")
    one.choice.value = "a"
    many.box("z").value = True
    answers = saved_answers()
    assert answers["99_test.one"]["selected"] == ["a"]
    assert answers["99_test.many"]["selected"] == ["z"]


def test_damaged_file_recovers_from_backup(banks):
    """Does a damaged answers file fall back to the previous version, and say so?"""
    check = knowledge_check("99_test.one")
    check.choice.value = "a"
    check.choice.value = "b"  # second save: the first is kept as .bak
    (work_dir() / KNOWLEDGE_CHECKS_FILE).write_text("{not json", encoding="utf-8")
    again = knowledge_check("99_test.one")
    assert again.selected == ("a",)
    assert "previous version" in again.status.value


def test_grade_refuses_unknown_option(banks):
    """Does grading an option id that does not exist raise a ValueError naming it?"""
    check = load_bank("99_test")["99_test.one"]
    with pytest.raises(ValueError, match="q"):
        check.grade(["q"])
