"""Collecting submissions from a folder or zip downloaded from a learning management system."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from endtrafficking.errors import CourseInputError
from endtrafficking.grading import collect

NOTEBOOKS = ("01_knowledge_check.ipynb", "02_assessment.ipynb", "03_reflection.ipynb")


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A course root with one assignment's source notebooks."""
    root = tmp_path / "course"
    source = root / "source" / "03_context"
    source.mkdir(parents=True)
    for name in NOTEBOOKS:
        (source / name).write_text("{}")
    (root / "nbgrader_config.py").write_text("")
    return root


def _learner(folder: Path, *names: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names or NOTEBOOKS:
        (folder / name).write_text("{}")
    return folder


def test_one_folder_per_learner(course: Path, tmp_path: Path) -> None:
    """Are <learner>/<files> and <learner>/<assignment>/<files> both collected, with a timestamp?"""
    download = tmp_path / "download"
    _learner(download / "amara")
    _learner(download / "li.wei" / "03_context", *NOTEBOOKS, "assessment.json")
    _learner(download / "__MACOSX")  # junk an operating system adds
    report = collect.collect_from_folder(course, "03_context", download)
    assert report.students == ["amara", "li.wei"]
    dest = course / "submitted" / "li.wei" / "03_context"
    assert (dest / "assessment.json").exists()
    assert (dest / "timestamp.txt").read_text().endswith("UTC")


def test_moodle_folders(course: Path, tmp_path: Path) -> None:
    """Are Moodle's per-learner folders collected under a learner id made from the name?"""
    download = tmp_path / "download"
    _learner(download / "Zoë Okafor_1045_assignsubmission_file_")
    report = collect.collect_from_folder(course, "03_context", download)
    assert report.students == ["zoe-okafor"]


def test_moodle_same_name_twice_is_refused(course: Path, tmp_path: Path) -> None:
    """Are two learners with the same name refused rather than mixed up?"""
    download = tmp_path / "download"
    _learner(download / "Sam Lee_1_assignsubmission_file_")
    _learner(download / "Sam Lee_2_assignsubmission_file_")
    with pytest.raises(CourseInputError, match="both belong to learner id 'sam-lee'"):
        collect.collect_from_folder(course, "03_context", download)


def test_canvas_flat_files(course: Path, tmp_path: Path) -> None:
    """Are Canvas's flat, renamed files collected by user id, re-upload suffix removed?"""
    download = tmp_path / "download"
    download.mkdir()
    for name in NOTEBOOKS:
        (download / f"okaforzoe_3021_77_{name}").write_text("{}")
    (download / "okaforzoe_LATE_3021_78_assessment-2.json").write_text("{}")
    (download / "leesam_3022_79_01_knowledge_check.ipynb").write_text("{}")
    report = collect.collect_from_folder(course, "03_context", download)
    assert report.students == ["3021", "3022"]
    assert (course / "submitted" / "3021" / "03_context" / "assessment.json").exists()


def test_unrecognised_names_are_listed(course: Path, tmp_path: Path) -> None:
    """Does a name that fits no layout stop the collection, naming it and the layouts?"""
    download = tmp_path / "download"
    download.mkdir()
    (download / "my homework.ipynb").write_text("{}")
    (download / "notes (copy)").mkdir()
    with pytest.raises(CourseInputError) as caught:
        collect.collect_from_folder(course, "03_context", download)
    message = str(caught.value)
    assert "'my homework.ipynb'" in message and "'notes (copy)/'" in message
    assert "Canvas" in message and "Moodle" in message
    assert not (course / "submitted").exists() or not any((course / "submitted").iterdir())


def test_learner_without_notebook_is_refused(course: Path, tmp_path: Path) -> None:
    """Is a learner folder without any notebook refused (wrong download)?"""
    download = tmp_path / "download"
    _learner(download / "amara", "assessment.json")
    with pytest.raises(CourseInputError, match="holds no notebook"):
        collect.collect_from_folder(course, "03_context", download)


def test_older_download_does_not_replace_newer_work(course: Path, tmp_path: Path) -> None:
    """Is a learner's newer submission kept when an older download is collected?"""
    newer = tmp_path / "newer"
    older = tmp_path / "older"
    _learner(newer / "amara")
    _learner(older / "amara")
    for path in (older / "amara").iterdir():
        os.utime(path, (1_000_000_000, 1_000_000_000))
    collect.collect_from_folder(course, "03_context", newer)
    report = collect.collect_from_folder(course, "03_context", older)
    assert report.skipped_older == ["amara"] and report.students == []


def test_zip_keeps_file_times_and_single_top_folder(course: Path, tmp_path: Path) -> None:
    """Is a zip with one top folder unpacked and collected, with the times it stores?"""
    archive = tmp_path / "subs.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name in NOTEBOOKS:
            info = zipfile.ZipInfo(
                f"03_context submissions/amara/{name}", date_time=(2026, 3, 1, 9, 30, 0)
            )
            zf.writestr(info, "{}")
    report = collect.collect_from_zip(course, "03_context", archive)
    assert report.students == ["amara"]
    stamp = (course / "submitted" / "amara" / "03_context" / "timestamp.txt").read_text()
    assert stamp.startswith("2026-03-01 09:30:00")


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"not a zip", "not a zip archive"), (None, "path outside its folder")],
)
def test_bad_zip_is_refused(
    course: Path, tmp_path: Path, content: bytes | None, expected: str
) -> None:
    """Are a damaged zip and a zip that writes outside its folder refused?"""
    archive = tmp_path / "subs.zip"
    if content is None:
        with zipfile.ZipFile(archive, "w") as zf:
            zf.writestr("../../escape.ipynb", "{}")
    else:
        archive.write_bytes(content)
    with pytest.raises(CourseInputError, match=expected):
        collect.collect_from_zip(course, "03_context", archive)


def test_unknown_assignment_and_missing_folder(course: Path, tmp_path: Path) -> None:
    """Are an assignment the course lacks and a folder that does not exist refused?"""
    with pytest.raises(CourseInputError, match="does not exist"):
        collect.collect_from_folder(course, "03_context", tmp_path / "nowhere")
    with pytest.raises(CourseInputError, match="no assignment '99_extra'"):
        collect.collect_from_folder(course, "99_extra", tmp_path)


def test_slug() -> None:
    """Is a learner id made from a name plain ASCII with hyphens?"""
    assert collect.slug("  María-José  O'Neil ") == "maria-jose-o-neil"
