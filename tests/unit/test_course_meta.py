"""Course metadata (course.yaml), the bibliography, lesson headers and source lists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from endtrafficking import course_meta
from endtrafficking.course_meta import (
    cited_keys,
    course_order,
    lesson_header,
    lesson_header_html,
    lesson_source_keys,
    load_bibliography,
    load_course,
    notebook_text,
    sources_html,
)
from endtrafficking.errors import CourseInputError

MODULE_IDS = ["00_welcome", "01_strategy", "02_possibility", "03_context", "04_engage", "06_finish"]
OPTIONAL_MODULE_IDS = ["05_coalition", "07_checkpoints"]


def _entry(lesson_id: str = "01_strategy", folder: str = "modules") -> dict:
    return {
        "id": lesson_id,
        "title": "A <b>title</b> & more",
        "path": f"{folder}/{lesson_id}.ipynb",
        "minutes": {"teaching": 12, "exercises": 8},
        "questions": ["Why <now>?"],
        "objectives": ["Name the areas."],
    }


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "course.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _course(**overrides) -> dict:
    data = {"title": "T", "pass_mark": 0.7, "modules": [_entry()], "engage_lessons": []}
    data.update(overrides)
    return data


def test_course_yaml_lists_the_modules_in_order():
    """Does course.yaml load, with modules 00-04 then the finish page, and the extras?"""
    course = load_course()
    assert [lesson.id for lesson in course.modules if not lesson.optional] == MODULE_IDS
    assert [lesson.id for lesson in course_order() if not lesson.optional][:6] == MODULE_IDS
    assert [lesson.id for lesson in course.modules if lesson.optional] == OPTIONAL_MODULE_IDS
    for lesson in course.modules:
        assert lesson.path == f"modules/{lesson.id}.ipynb"
        assert lesson.total_minutes > 0 and lesson.questions and lesson.objectives


def test_engage_lessons_use_the_same_entry_shape(tmp_path):
    """Does an engage lesson load with the same fields (plus an audience) as a module?"""
    engage = _entry("educators", "engage_lessons") | {"audience": "Educators"}
    course = load_course(_write(tmp_path, _course(engage_lessons=[engage])))
    lesson = course.lesson("educators")
    assert lesson.kind == "engage_lessons" and lesson.audience == "Educators"
    assert [x.id for x in course.lessons] == ["01_strategy", "educators"]


def test_missing_field_is_named(tmp_path):
    """Is a lesson without minutes refused, naming the field and the file?"""
    entry = _entry()
    del entry["minutes"]
    path = _write(tmp_path, _course(modules=[entry]))
    with pytest.raises(CourseInputError) as info:
        load_course(path)
    message = str(info.value)
    assert "field modules[0]" in message and "minutes" in message and "course.yaml" in message
    assert "How to fix it" in message


def test_wrong_type_is_named(tmp_path):
    """Are minutes written as text refused, naming modules[0].minutes.teaching?"""
    entry = _entry()
    entry["minutes"]["teaching"] = "ten"
    with pytest.raises(CourseInputError, match=r"modules\[0\]\.minutes\.teaching"):
        load_course(_write(tmp_path, _course(modules=[entry])))


def test_id_must_match_notebook_name(tmp_path):
    """Is an id that differs from the notebook's file name refused?"""
    entry = _entry() | {"id": "01_strategies"}
    with pytest.raises(CourseInputError, match="notebook's name"):
        load_course(_write(tmp_path, _course(modules=[entry])))


def test_duplicate_ids_are_refused(tmp_path):
    """Is the same lesson listed twice refused, naming the second place?"""
    path = _write(tmp_path, _course(modules=[_entry(), _entry()]))
    with pytest.raises(CourseInputError, match=r"modules\[1\]\.id: .*used twice"):
        load_course(path)


def test_yaml_error_names_the_line(tmp_path):
    """Does broken YAML give the line number rather than a traceback from yaml?"""
    path = tmp_path / "course.yaml"
    path.write_text("title: T\nmodules: [\n  - id: x\n", encoding="utf-8")
    with pytest.raises(CourseInputError, match="line"):
        load_course(path)


def test_missing_file_and_non_mapping(tmp_path):
    """Are a missing file and a plain list reported as CourseInputErrors?"""
    with pytest.raises(CourseInputError, match="does not exist"):
        load_course(tmp_path / "nope.yaml")
    with pytest.raises(CourseInputError, match="mapping"):
        load_course(_write(tmp_path, ["a", "b"]))


def test_unknown_lesson_names_the_known_ids():
    """Does asking for an unknown lesson list the ids that exist?"""
    with pytest.raises(CourseInputError) as info:
        course_meta.lesson("99_nothing")
    assert "00_welcome" in str(info.value)


def test_lesson_header_shows_minutes_questions_objectives(tmp_path, monkeypatch):
    """Does the header show title, minutes, questions and objectives, with HTML escaped?"""
    path = _write(tmp_path, _course())
    monkeypatch.setattr(course_meta, "load_course", lambda: load_course(path))
    text = lesson_header_html("01_strategy")
    assert "A &lt;b&gt;title&lt;/b&gt; &amp; more" in text
    assert "12 min teaching" in text and "8 min exercises" in text and "20 min in all" in text
    assert "Why &lt;now&gt;?" in text and "Name the areas." in text
    assert text in lesson_header("01_strategy").data


def test_cited_keys():
    """Are [KEY] and [K1, K2] citations found once each, and links and indicator ids ignored?"""
    text = "A [F1, F2] b [S3] c [F1] d [a link](http://x) e [note] f [F3,F5] g [PRE2]"
    assert cited_keys(text) == ["F1", "F2", "S3", "F3", "F5"]


def test_bibliography_and_sources_html():
    """Does the bibliography load, and does the sources list flag an unknown key?"""
    bib = load_bibliography()
    assert {"S3", "F1", "F7", "I1", "N1"} <= set(bib)
    text = sources_html(["S3", "ZZ9"])
    assert bib["S3"].title.split(",")[0] in text
    assert "ZZ9" in text and "not in the course bibliography" in text


def test_bibliography_entry_without_title_is_named(tmp_path):
    """Is a bibliography entry without a title refused, naming its key?"""
    path = tmp_path / "bibliography.yaml"
    path.write_text("A1: {where: x}\n", encoding="utf-8")
    with pytest.raises(CourseInputError, match="key A1"):
        load_bibliography(path)


def test_lesson_sources_gathers_notebook_and_checks(tmp_path, monkeypatch):
    """Does a lesson's source list hold the keys its text cites and its checks cite?"""
    notebook = tmp_path / "modules" / "01_strategy.ipynb"
    notebook.parent.mkdir()
    notebook.write_text(
        json.dumps(
            {
                "cells": [
                    {"cell_type": "markdown", "source": ["Fact [S3].\n", "More [F1, F2]."]},
                    {"cell_type": "code", "source": "x = '[ZZ1]'"},
                ]
            }
        ),
        encoding="utf-8",
    )
    (tmp_path / "course" / "knowledge_checks").mkdir(parents=True)
    (tmp_path / "course" / "knowledge_checks" / "01_strategy.yaml").write_text(
        "lesson: 01_strategy\nchecks:\n  - {id: a, sources: [M3, S3]}\n", encoding="utf-8"
    )
    path = _write(tmp_path, _course())
    monkeypatch.setattr(course_meta, "load_course", lambda: load_course(path))
    monkeypatch.setattr(course_meta, "repo_root", lambda: tmp_path)
    real_data_file = course_meta.data_file
    monkeypatch.setattr(
        course_meta,
        "data_file",
        lambda *parts: (
            tmp_path.joinpath("course", *parts)
            if parts[0] == "knowledge_checks"
            else real_data_file(*parts)
        ),
    )
    assert notebook_text(notebook).count("[") == 2
    assert lesson_source_keys("01_strategy") == ["S3", "F1", "F2", "M3"]
