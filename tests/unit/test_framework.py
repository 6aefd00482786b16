"""The assessment framework: focus areas, indicators, scale and sections, kept as data.

Broken framework files are tested in test_bad_input.py.
"""

from __future__ import annotations

import os
import shutil
import time

import pytest
import yaml

from endtrafficking.errors import FrameworkError
from endtrafficking.framework import (
    ENGAGEMENT_OPTIONS,
    Framework,
    load_framework,
    parse_framework,
    validate_framework_data,
)
from endtrafficking.paths import TEMPLATES_ENV, course_dir, templates_dir

AREA_IDS = [
    "prevention",
    "identification",
    "rescue_response",
    "restoration",
    "justice",
    "partnership",
]
AREA_NAMES = [
    "Prevention",
    "Identification",
    "Rescue and response",
    "Restoration",
    "Justice",
    "Partnership",
]


def test_six_focus_areas_in_order(framework: Framework):
    """Does the course framework hold the six focus areas, in the course's order?"""
    assert [a.id for a in framework.areas] == AREA_IDS
    assert [a.name for a in framework.areas] == AREA_NAMES


def test_four_to_six_indicators_per_area(framework: Framework):
    """Does each area hold 4-6 indicators, each a question, with unique ids?"""
    for area in framework.areas:
        assert 4 <= len(area.indicators) <= 6, area.id
        for indicator in area.indicators:
            assert indicator.area_id == area.id
            assert indicator.question.rstrip().endswith("?"), indicator.id
    ids = framework.indicator_ids
    assert len(ids) == len(set(ids)) == len(framework.indicators)


def test_rating_scale(framework: Framework):
    """Is the scale 0-3 with a label and a description for each level?"""
    assert [lv.value for lv in framework.scale] == [0, 1, 2, 3]
    assert [lv.label for lv in framework.scale] == ["Absent", "Emerging", "Established", "Strong"]
    assert all(lv.description for lv in framework.scale)
    assert framework.max_rating == 3


def test_supporting_sections_are_not_rated(framework: Framework):
    """Are Local context and Safeguards present as prompts, outside the rated indicators?"""
    assert [s.id for s in framework.sections] == ["local_context", "safeguards"]
    prompt_ids = {p.id for p in framework.prompts}
    assert prompt_ids and not prompt_ids & set(framework.indicator_ids)
    assert all(p.section_id in ("local_context", "safeguards") for p in framework.prompts)


def test_engagement_options(framework: Framework):
    """Are the three engagement options there, with labels?"""
    assert set(framework.options) == set(ENGAGEMENT_OPTIONS)
    assert all(framework.options.values())


def test_source_keys_are_in_the_bibliography(framework: Framework):
    """Does every source key in the framework exist in course/bibliography.yaml?"""
    keys = set(yaml.safe_load((course_dir() / "bibliography.yaml").read_text(encoding="utf-8")))
    used = {i.source for i in framework.indicators if i.source}
    used |= {k for a in framework.areas for k in a.sources}
    used |= {k for s in framework.sections for k in s.sources}
    assert used, "the framework cites no sources"
    assert used <= keys, sorted(used - keys)


def test_lookups(framework: Framework):
    """Do indicator, area and scale-label look-ups work, and fail with KeyError when unknown?"""
    assert framework.indicator("JUS2").area_id == "justice"
    assert framework.area("restoration").name == "Restoration"
    assert framework.area("Rescue and response").id == "rescue_response"
    assert framework.scale_label(2) == "Established"
    assert framework.scale_label(None) == "Not rated yet"
    for call, arg in [
        (framework.indicator, "XYZ1"),
        (framework.area, "nowhere"),
        (framework.scale_label, 7),
    ]:
        with pytest.raises(KeyError):
            call(arg)


def test_load_is_cached(framework: Framework):
    """Is the framework read once and then shared (it is immutable)?"""
    assert load_framework() is framework
    assert load_framework(templates_dir() / "framework.yaml") is framework


def test_edited_file_is_read_again(tmp_path):
    """After a host edits the framework file, is the new version loaded?"""
    path = tmp_path / "framework.yaml"
    shutil.copy(templates_dir() / "framework.yaml", path)
    first = load_framework(path)
    text = path.read_text(encoding="utf-8").replace("label: Absent", "label: Not yet", 1)
    path.write_text(text, encoding="utf-8")
    later = time.time() + 5
    os.utime(path, (later, later))
    second = load_framework(path)
    assert first.scale[0].label == "Absent"
    assert second.scale[0].label == "Not yet"


def test_host_can_point_at_another_framework(tmp_path, monkeypatch):
    """Can a host use a regional framework through ENDTRAFFICKING_TEMPLATES, without code changes?"""
    data = yaml.safe_load((templates_dir() / "framework.yaml").read_text(encoding="utf-8"))
    data["title"] = "A regional framework"
    data["areas"] = data["areas"][:2]
    (tmp_path / "framework.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    monkeypatch.setenv(TEMPLATES_ENV, str(tmp_path))
    regional = load_framework()
    assert regional.title == "A regional framework"
    assert [a.id for a in regional.areas] == AREA_IDS[:2]
    assert regional.source_path == str((tmp_path / "framework.yaml").resolve())


def test_parse_validates_first():
    """Does parse_framework refuse data that breaks the schema?"""
    with pytest.raises(FrameworkError, match="required property"):
        parse_framework({"title": "x"}, "inline.yaml")


def test_validate_accepts_the_course_framework():
    """Does the shipped framework pass its own schema and rules?"""
    data = yaml.safe_load((templates_dir() / "framework.yaml").read_text(encoding="utf-8"))
    validate_framework_data(data)


def test_framework_is_immutable(framework: Framework):
    """Can code not change the shared framework by accident?"""
    with pytest.raises(AttributeError):
        framework.title = "changed"  # type: ignore[misc]
