"""The grader's own scores, from saved files only: right, wrong, missing and forged files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest

from endtrafficking.grading import verify
from endtrafficking.grading.reference import write_reference_work
from endtrafficking.grading.verify import ANSWERS_FILE, ANSWERS_KIND, verify_submission


def _test_cell(grade_id: str, points: float, source: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {
        "grade": True,
        "solution": False,
        "locked": True,
        "grade_id": grade_id,
        "points": points,
        "schema_version": 3,
    }
    return cell


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A tiny source assignment: two knowledge checks and two checks of saved work."""
    folder = tmp_path / "source" / "02_possibility"
    folder.mkdir(parents=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("Intro"),
        _test_cell(
            "q1_test",
            1,
            'checkpoint.check_answer("q1")\n### BEGIN HIDDEN TESTS\n'
            'checkpoint.expect_answer("q1", "survey")\n### END HIDDEN TESTS\n',
        ),
        _test_cell(
            "q2_test",
            2,
            'checkpoint.check_answer("q2")\n'
            'checkpoint.expect_answer("q2", ["threats", "timelines"])\n',
        ),
        _test_cell("inventory_complete", 2, 'checkpoint.check_work("inventory", "complete")'),
        _test_cell(
            "least_served",
            1,
            'checkpoint.check_reading("inventory", "least_served", "least_served")',
        ),
        _test_cell("python_answer", 1, "checkpoint.expect_one_of(q9, ['a', 'b'])"),
    ]
    nbformat.write(nb, folder / "01_check.ipynb")
    return tmp_path / "source"


def _answers(folder: Path, answers: dict) -> None:
    state = {"answers": answers}
    (folder / ANSWERS_FILE).write_text(json.dumps({"kind": ANSWERS_KIND, "state": state}))


def _by_id(verdicts: list[verify.CellVerdict]) -> dict[str, verify.CellVerdict]:
    return {v.grade_id: v for v in verdicts}


def _least_served(folder: Path) -> str:
    from endtrafficking.grading.checks import least_served_areas

    return sorted(least_served_areas(folder))[0]


def test_right_answers_and_complete_work_earn_full_points(source: Path, tmp_path: Path) -> None:
    """Do right answers and complete work earn each cell's maximum, and no more?"""
    sub = tmp_path / "sub"
    write_reference_work(sub, "02_possibility")
    _answers(
        sub,
        {
            "q1": {"selected": ["survey"]},
            "q2": {"selected": ["timelines", "Threats"], "kind": "multiple"},
            "least_served": {"selected": [_least_served(sub)]},
        },
    )
    got = _by_id(verify_submission("02_possibility", sub, source))
    for key, points in (("q1_test", 1), ("q2_test", 2), ("inventory_complete", 2)):
        assert (got[key].points, got[key].max_points, got[key].message) == (points, points, "")
    assert got["least_served"].points == 1
    assert got["q1_test"].notebook == "01_check"
    # A cell that checks a Python variable cannot be verified from files: 0, with a reason.
    assert got["python_answer"].points == 0 and "cannot be checked" in got["python_answer"].message
    assert all(v.points <= v.max_points for v in got.values())


def test_wrong_and_missing_answers_earn_nothing(source: Path, tmp_path: Path) -> None:
    """Are a wrong answer, a partial multiple answer and missing files scored 0, with why?"""
    sub = tmp_path / "sub"
    sub.mkdir()
    _answers(sub, {"q1": {"selected": ["swot_analysis"]}, "q2": {"selected": ["threats"]}})
    got = _by_id(verify_submission("02_possibility", sub, source))
    assert got["q1_test"].points == 0 and "not the expected one" in got["q1_test"].message
    assert got["q2_test"].points == 0
    assert got["inventory_complete"].points == 0
    assert "inventory" in got["inventory_complete"].message.lower()
    assert got["least_served"].points == 0


@pytest.mark.parametrize(
    "forged",
    [
        {"kind": ANSWERS_KIND, "state": {"answers": {"q1": {"selected": "survey"}}}},
        {"kind": ANSWERS_KIND, "state": {"answers": {"q1": {"selected": [["survey"]]}}}},
        {"kind": ANSWERS_KIND, "state": {"answers": {"q1": {"selected": [1]}}}},
        {"kind": ANSWERS_KIND, "state": {"answers": ["survey"]}},
        {"kind": "inventory", "state": {"answers": {"q1": {"selected": ["survey"]}}}},
        ["survey"],
    ],
)
def test_answers_of_the_wrong_shape_earn_nothing(source: Path, tmp_path: Path, forged) -> None:
    """Does an answers file with the wrong types earn 0 rather than crash or pass?"""
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / ANSWERS_FILE).write_text(json.dumps(forged))
    got = _by_id(verify_submission("02_possibility", sub, source))
    assert got["q1_test"].points == 0 and got["q1_test"].message


def test_links_huge_and_odd_files_are_refused(source: Path, tmp_path: Path) -> None:
    """Are a link to another learner's file, a huge file and a non-JSON file refused?"""
    other = tmp_path / "other"
    write_reference_work(other, "02_possibility")
    _answers(other, {"q1": {"selected": ["survey"]}})
    sub = tmp_path / "sub"
    sub.mkdir()
    os.symlink(other / ANSWERS_FILE, sub / ANSWERS_FILE)
    os.symlink(other / "inventory.json", sub / "inventory.json")
    got = _by_id(verify_submission("02_possibility", sub, source))
    assert got["q1_test"].points == 0 and "link" in got["q1_test"].message
    assert got["inventory_complete"].points == 0 and "link" in got["inventory_complete"].message

    for path in (sub / ANSWERS_FILE, sub / "inventory.json"):
        path.unlink()
    (sub / ANSWERS_FILE).write_bytes(b"[" * (verify.MAX_FILE_BYTES + 10))
    (sub / "inventory.json").write_bytes(b"\x00\xff not json")
    got = _by_id(verify_submission("02_possibility", sub, source))
    assert got["q1_test"].points == 0 and "bytes" in got["q1_test"].message
    assert got["inventory_complete"].points == 0 and got["inventory_complete"].message


def test_deeply_nested_json_is_refused(source: Path, tmp_path: Path) -> None:
    """Does a small but deeply nested file earn 0 instead of crashing the grader?"""
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / ANSWERS_FILE).write_text("[" * 200_000 + "]" * 200_000)
    got = _by_id(verify_submission("02_possibility", sub, source))
    assert got["q1_test"].points == 0


def test_answer_matching_is_plain_data() -> None:
    """Are text compared without case or spacing, lists as sets, and other types refused?"""
    assert verify.answer_matches("Rescue response", "rescue_response")
    assert verify.answer_matches(["b", "a"], ["a", "b"])
    assert not verify.answer_matches(["a"], ["a", "b"])
    assert not verify.answer_matches(None, "a")
    assert not verify.answer_matches(["a"], "a")
