"""The learner's working folder."""

from __future__ import annotations

from endtrafficking import workspace
from endtrafficking.workspace import (
    ASSESSMENT_FILE,
    WORK_ENV,
    WORK_FOLDER,
    course_root,
    work_dir,
    work_file,
)


def make_course(root):
    (root / "modules").mkdir(parents=True)
    (root / "engage_lessons").mkdir()
    return root


def test_env_overrides(tmp_path, monkeypatch):
    """Does ENDTRAFFICKING_WORK choose the working folder, creating it?"""
    target = tmp_path / "elsewhere" / "work"
    monkeypatch.setenv(WORK_ENV, str(target))
    assert work_dir() == target and target.is_dir()
    assert work_file(ASSESSMENT_FILE) == target / "assessment.json"


def test_default_is_my_work_in_course_root(tmp_path, monkeypatch):
    """Without the variable, is it my_work/ in the course root, found from a sub-folder?"""
    root = make_course(tmp_path / "course")
    monkeypatch.delenv(WORK_ENV, raising=False)
    monkeypatch.chdir(root / "modules")
    assert work_dir() == (root / WORK_FOLDER).resolve()
    assert (root / WORK_FOLDER).is_dir()


def test_course_root_needs_both_folders(tmp_path):
    """Is a folder with modules/ but no engage_lessons/ not taken for the course?"""
    (tmp_path / "modules").mkdir()
    assert course_root(tmp_path) is None
    (tmp_path / "engage_lessons").mkdir()
    assert course_root(tmp_path / "modules") == tmp_path.resolve()


def test_outside_a_course_uses_current_folder(tmp_path, monkeypatch):
    """Outside any course, is my_work/ made in the current folder?"""
    monkeypatch.delenv(WORK_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(workspace, "course_root", lambda start=None: None)
    assert work_dir() == tmp_path / WORK_FOLDER


def test_create_false_does_not_create(tmp_path, monkeypatch):
    """Does work_dir(create=False) only name the folder?"""
    target = tmp_path / "not_yet"
    monkeypatch.setenv(WORK_ENV, str(target))
    assert work_dir(create=False) == target
    assert not target.exists()


def test_file_names_are_distinct():
    """Does each exercise save to its own file?"""
    names = [
        workspace.ASSESSMENT_FILE,
        workspace.INVENTORY_FILE,
        workspace.ACTION_PLAN_FILE,
        workspace.MODEL_MAPPING_FILE,
        workspace.KNOWLEDGE_CHECKS_FILE,
    ]
    assert len(set(names)) == len(names)
    assert all(n.endswith(".json") for n in names)
