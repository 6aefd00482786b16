"""Reading a learner's saved widget work strictly, with plain messages when it is missing or broken."""

from __future__ import annotations

from pathlib import Path

import pytest

from endtrafficking.grading import work_files
from endtrafficking.grading.work_files import WorkFileError


def test_missing_file_says_where_to_go(tmp_path: Path) -> None:
    """Does a missing file name the file and the notebook that makes it?"""
    with pytest.raises(WorkFileError) as caught:
        work_files.load_assessment_work(tmp_path)
    message = str(caught.value)
    assert "was not found in this assignment folder" in message
    assert "assessment.json" in message and "02_assessment.ipynb" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{ not json", "not a saved exercise file"),
        ('{"kind": "inventory", "state": {}}', "does not hold action plan answers"),
        ('{"kind": "action_plan", "state": []}', "answers are missing"),
        ('{"kind": "action_plan", "state": {"items": "many"}}', "must be a list"),
        (
            '{"kind": "action_plan", "state": {"items": [{"indicator_id": "XYZ9"}]}}',
            "does not name an indicator",
        ),
    ],
)
def test_damaged_plan_file_is_explained(tmp_path: Path, text: str, expected: str) -> None:
    """Does each way of damaging a saved plan give a message that points to the .bak copy?"""
    from endtrafficking.framework import load_framework

    (tmp_path / "action_plan.json").write_text(text, encoding="utf-8")
    with pytest.raises(WorkFileError) as caught:
        work_files.load_action_plan_work(tmp_path, load_framework())
    assert expected in str(caught.value)
    assert "action_plan.json.bak" in str(caught.value)


def test_damaged_assessment_is_explained(tmp_path: Path) -> None:
    """Does an assessment file that is not JSON give a plain message, not a traceback?"""
    (tmp_path / "assessment.json").write_bytes(b"\xff\xfe garbage")
    with pytest.raises(WorkFileError, match="could not be read"):
        work_files.load_assessment_work(tmp_path)


def test_inventory_without_entries(tmp_path: Path) -> None:
    """Is an inventory file without a list of organizations refused?"""
    from endtrafficking.framework import load_framework

    (tmp_path / "inventory.json").write_text('{"kind": "inventory", "state": {"entries": 3}}')
    with pytest.raises(WorkFileError, match="no list of organizations"):
        work_files.load_inventory_work(tmp_path, load_framework())


def test_mapping_without_mapping(tmp_path: Path) -> None:
    """Is a model-mapping file without a mapping refused?"""
    (tmp_path / "model_mapping.json").write_text(
        '{"kind": "model_mapping", "state": {"checked": true}}'
    )
    with pytest.raises(WorkFileError, match="holds no mapping"):
        work_files.load_model_mapping_work(tmp_path)


def test_unknown_exercise() -> None:
    """Does an unknown exercise name list the known ones?"""
    with pytest.raises(ValueError, match="assessment"):
        work_files.exercise("essay")


def test_saved_time_is_kept(reference_folders) -> None:
    """Is the autosave time kept with the state (for date checks)?"""
    state = work_files.read_state(reference_folders["04_engage"], "action_plan")
    assert state["_saved"][:2] == "20"
