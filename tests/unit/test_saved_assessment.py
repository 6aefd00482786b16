"""The learner's saved assessment: restore, recovery from damage, uploads and import paths."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from endtrafficking.assessment import Assessment
from endtrafficking.errors import AssessmentFileError
from endtrafficking.framework import load_framework
from endtrafficking.saved_assessment import (
    backup_before_import,
    load_saved_assessment,
    read_uploaded_assessment,
    resolve_import_path,
    save_learner_assessment,
    saved_assessment_path,
)
from endtrafficking.storage import load_assessment, to_csv, to_xlsx_bytes
from endtrafficking.workspace import work_dir

FW = load_framework()


def rated(value: int, community: str = "Testbrook (fictional)") -> Assessment:
    a = Assessment.blank(community, FW)
    a.set_response("PRE1", rating=value, evidence=f"version {value}")
    return a


def test_nothing_saved_yet():
    """Is a missing save reported as no assessment, without messages?"""
    restored = load_saved_assessment()
    assert restored.assessment is None and restored.messages == []


def test_saved_assessment_is_plain_json_in_the_work_dir():
    """Is the learner's save a plain assessment JSON that load_assessment reads?"""
    path = save_learner_assessment(rated(2))
    assert path == work_dir() / "assessment.json" == saved_assessment_path()
    assert load_assessment(path).responses["PRE1"].rating == 2
    restored = load_saved_assessment()
    assert restored.assessment.responses["PRE1"].evidence == "version 2"
    assert not restored.from_backup


def test_damaged_save_falls_back_to_the_previous_version():
    """Does a damaged save restore from .bak and keep the damaged file aside?"""
    save_learner_assessment(rated(1))
    path = save_learner_assessment(rated(2))
    path.write_text("{ not json", encoding="utf-8")
    restored = load_saved_assessment()
    assert restored.from_backup
    assert restored.assessment.responses["PRE1"].rating == 1
    assert (path.parent / "assessment.json.damaged").read_text(encoding="utf-8") == "{ not json"
    assert not path.exists()
    assert "previous version" in " ".join(restored.messages)
    # The next save must not overwrite the good backup with the damaged file.
    save_learner_assessment(restored.assessment)
    assert load_assessment(path).responses["PRE1"].rating == 1


def test_damaged_save_without_backup_is_kept_aside():
    """With no readable copy, is the damaged file kept and a blank start reported?"""
    path = saved_assessment_path()
    path.write_text('{"format": "endtrafficking.assessment", "responses": []}', encoding="utf-8")
    restored = load_saved_assessment()
    assert restored.assessment is None
    assert (path.parent / "assessment.json.damaged").exists()
    assert "blank" in " ".join(restored.messages)


def test_backup_before_import_keeps_the_answers():
    """Does the pre-import backup hold the current answers in the working folder?"""
    backup = backup_before_import(rated(3))
    assert backup.parent == work_dir() and backup.name.startswith("assessment_before_import_")
    assert load_assessment(backup).responses["PRE1"].rating == 3


def test_upload_reads_csv_and_names_the_uploaded_file():
    """Is an uploaded CSV read, and a bad one reported with the uploaded file's name and row?"""
    text = to_csv(rated(2))
    assert read_uploaded_assessment("filled.csv", text.encode()).responses["PRE1"].rating == 2
    bad = text.replace("PRE1,", "PRE1,").replace(",2,version 2", ",7,version 2")
    with pytest.raises(AssessmentFileError) as info:
        read_uploaded_assessment("C:\\Users\\x\\filled.csv", bad.encode())
    assert info.value.file == "filled.csv"
    assert "row 7" in str(info.value) and "rating" in str(info.value)


def test_upload_of_another_file_type_is_refused():
    """Is an uploaded PDF refused with a fix?"""
    with pytest.raises(AssessmentFileError, match="upload the filled template"):
        read_uploaded_assessment("notes.pdf", b"%PDF")


def test_import_path_is_found_in_the_work_dir(tmp_path, monkeypatch):
    """Is a bare file name looked for in the working folder too, and a missing one reported?"""
    target = work_dir() / "filled.csv"
    target.write_text(to_csv(rated(1)), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert resolve_import_path(" filled.csv ") == target
    assert resolve_import_path(f'"{target}"') == target
    with pytest.raises(AssessmentFileError, match="does not exist"):
        resolve_import_path("nowhere.csv")
    with pytest.raises(AssessmentFileError, match="no file name"):
        resolve_import_path("   ")
    assert isinstance(resolve_import_path(str(target)), Path)


def test_damaged_workbook_is_a_clear_error():
    """Is an XLSX whose sheet XML is cut short reported as damaged, naming the upload?"""
    good = to_xlsx_bytes(rated(2))
    damaged = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as zin, zipfile.ZipFile(damaged, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            zout.writestr(name, data[: len(data) // 2] if "sheet1" in name else data)
    with pytest.raises(AssessmentFileError, match="cannot be opened as an Excel workbook") as info:
        read_uploaded_assessment("filled.xlsx", damaged.getvalue())
    assert info.value.file == "filled.xlsx" and "How to fix it" in str(info.value)


# --------------------------------------------------------------------------- dated snapshots
def _backdate(path, day: str) -> None:
    """Make the saved file look as if it was last saved on ``day``."""
    import json

    from endtrafficking import saved_assessment

    data = json.loads(path.read_text(encoding="utf-8"))
    data["assessed_on"] = day
    path.write_text(json.dumps(data), encoding="utf-8")
    saved_assessment._checked.clear()


def test_save_dates_the_assessment(filled):
    """Is the learner's saved assessment dated today?"""
    from datetime import date

    path = save_learner_assessment(filled)
    assert load_assessment(path).assessed_on == date.today().isoformat()


def test_reassessing_on_a_later_day_keeps_a_dated_snapshot(filled):
    """Does the first save of a later day keep the earlier version, never losing it?"""
    from endtrafficking.saved_assessment import load_snapshot, snapshots

    path = save_learner_assessment(filled)
    _backdate(path, "2024-05-01")
    earlier = load_assessment(path)
    filled.set_response("RST1", rating=3)
    save_learner_assessment(filled)
    filled.set_response("RST2", rating=3)
    save_learner_assessment(filled)  # same day again: no second snapshot
    (snapshot,) = snapshots()
    assert snapshot.date == "2024-05-01"
    kept = load_snapshot(snapshot)
    assert kept == earlier and kept.responses["RST1"].rating == earlier.responses["RST1"].rating
    assert load_assessment(path).responses["RST1"].rating == 3


def test_a_snapshot_is_never_overwritten(filled):
    """Is an existing snapshot of a day kept as it is?"""
    from endtrafficking.saved_assessment import snapshots

    path = save_learner_assessment(filled)
    _backdate(path, "2024-05-01")
    save_learner_assessment(filled)
    first = snapshots()[0].path.read_bytes()
    filled.set_response("PRE1", rating=0)
    save_learner_assessment(filled)
    _backdate(path, "2024-05-01")
    save_learner_assessment(filled)
    assert snapshots()[0].path.read_bytes() == first
