"""The engage lessons' role data: the shipped file validates, and a broken one says where."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from endtrafficking.course_meta import load_bibliography, load_course
from endtrafficking.errors import CourseInputError
from endtrafficking.framework import ENGAGEMENT_OPTIONS
from endtrafficking.paths import repo_root
from endtrafficking.roles import RoleDataError, load_role, load_roles, roles_path
from endtrafficking.widgets.knowledge_check import load_check

ROLE_IDS = (
    "educators",
    "health_care",
    "faith_communities",
    "businesses",
    "law_enforcement",
    "transportation",
    "youth",
    "parents_caregivers",
    "volunteers",
)


@pytest.fixture(scope="module")
def raw() -> dict:
    """The shipped roles.yaml, parsed but not validated."""
    return yaml.safe_load(roles_path().read_text(encoding="utf-8"))


def _all_source_keys(data: object) -> list[str]:
    """Every value of every 'sources' list anywhere in the data."""
    found: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "sources" and isinstance(value, list):
                found += [str(v) for v in value]
            else:
                found += _all_source_keys(value)
    elif isinstance(data, list):
        for item in data:
            found += _all_source_keys(item)
    return found


# --------------------------------------------------------------------------- the shipped data
def test_every_role_loads_and_validates():
    """Does the shipped roles.yaml validate, with one role for each of the nine lessons?"""
    catalogue = load_roles()
    assert catalogue.ids == ROLE_IDS
    assert len(catalogue.safety) >= 3
    for role in catalogue.roles:
        assert role.may_see and role.do_not and role.knowledge_checks
        assert all(c.sources for c in role.may_see), f"{role.id}: a 'may see' fact has no source"
        for option in ENGAGEMENT_OPTIONS:
            assert len(role.examples(option)) >= 2


def test_every_relevant_indicator_exists_in_the_framework(framework):
    """Is every indicator a role names (and every example's tag) an indicator of the framework?"""
    known = set(framework.indicator_ids)
    for role in load_roles().roles:
        assert set(role.indicators) <= known, role.id
        for option in ENGAGEMENT_OPTIONS:
            for example in role.examples(option):
                assert set(example.indicators) <= set(role.indicators), (role.id, example.text)


def test_every_source_key_is_in_the_bibliography(raw):
    """Is every source key cited anywhere in roles.yaml listed in course/bibliography.yaml?"""
    keys = set(_all_source_keys(raw))
    assert keys, "roles.yaml cites no sources at all"
    missing = keys - set(load_bibliography())
    assert not missing, f"not in course/bibliography.yaml: {sorted(missing)}"


def test_safety_list_gives_the_hotline_exactly_and_the_core_rules():
    """Does the shared safety list give the hotline as CONTENT_FACTS does, with the other rules?"""
    catalogue = load_roles()
    text = " ".join(item.text for item in catalogue.safety)
    assert "1-888-373-7888" in text and "233733" in text and "24 hours a day, 7 days a week" in text
    assert "investigate" in text
    keys = catalogue.safety_keys()
    for key in ("F3", "F5", "O4", "S4"):
        assert key in keys


def test_every_lesson_is_listed_in_course_yaml_and_exists():
    """Is each role's lesson a notebook on disk, listed in course.yaml's engage_lessons?"""
    listed = {lesson.path: lesson for lesson in load_course().engage_lessons}
    for role in load_roles().roles:
        assert role.lesson in listed, role.lesson
        assert listed[role.lesson].id == role.lesson_id
        assert (repo_root() / role.lesson).is_file()
        assert 20 <= listed[role.lesson].total_minutes <= 30, role.lesson


def test_every_knowledge_check_exists():
    """Does every knowledge-check id of every role name a check in its lesson's bank?"""
    for role in load_roles().roles:
        for check_id in role.knowledge_checks:
            assert load_check(check_id).lesson == role.lesson_id


def test_every_indicator_has_an_example_for_every_option():
    """Can the plan pre-fill a concrete example for any of a role's gaps, whatever the option?"""
    for role in load_roles().roles:
        for option in ENGAGEMENT_OPTIONS:
            tagged = {ind for e in role.examples(option) for ind in e.indicators}
            assert set(role.indicators) <= tagged, (role.id, option)


def test_unknown_role_names_the_known_ones():
    """Does asking for an unknown role say which roles exist, and suggest the closest?"""
    with pytest.raises(RoleDataError) as info:
        load_role("educator")
    message = str(info.value)
    assert "'educators'" in message and "transportation" in message


# --------------------------------------------------------------------------- broken files
def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "roles.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _drop_indicators(d):
    del d["roles"][2]["indicators"]


def _unknown_indicator(d):
    d["roles"][0]["indicators"][1] = "IDE9"


def _unknown_source(d):
    d["roles"][4]["may_see"][0]["sources"] = ["ZZ9"]


def _fact_without_source(d):
    d["roles"][1]["may_see"][0]["sources"] = []


def _example_outside_role(d):
    d["roles"][5]["engagement"]["fill_gap"][0]["indicators"] = ["JUS4"]


def _duplicate_id(d):
    d["roles"][3]["id"] = d["roles"][0]["id"]


def _foreign_check(d):
    d["roles"][0]["knowledge_checks"][0] = "02_health_care.soar"


def _misspelt_field(d):
    d["roles"][6]["do_nots"] = d["roles"][6].pop("do_not")


def _too_many_indicators(d):
    d["roles"][7]["indicators"] = [f"PRE{i}" for i in range(1, 6)] + [
        "IDE1",
        "IDE2",
        "IDE3",
        "IDE4",
    ]


@pytest.mark.parametrize(
    ("mutate", "where", "problem"),
    [
        (
            _drop_indicators,
            "field roles[2] (role 'faith_communities')",
            "'indicators' is a required",
        ),
        (_unknown_indicator, "field roles[0].indicators[1] (role 'educators')", "did you mean IDE"),
        (_unknown_source, "field roles[4].may_see[0].sources[0]", "'ZZ9'"),
        (_fact_without_source, "field roles[1].may_see[0].sources", "should be non-empty"),
        (_example_outside_role, "field roles[5].engagement.fill_gap[0].indicators[0]", "'JUS4'"),
        (_duplicate_id, "field roles[3].id", "used twice"),
        (_foreign_check, "field roles[0].knowledge_checks[0]", "01_educators"),
        (_misspelt_field, "field roles[6] (role 'youth')", "do_nots"),
        (_too_many_indicators, "field roles[7].indicators", "too long"),
    ],
)
def test_broken_file_names_the_field(tmp_path, raw, mutate, where, problem):
    """Does a broken roles file fail with the file, the field, the problem and a fix?"""
    data = copy.deepcopy(raw)
    mutate(data)
    path = _write(tmp_path, data)
    with pytest.raises(RoleDataError) as info:
        load_roles(path)
    err = info.value
    assert isinstance(err, CourseInputError)
    assert err.file and err.file.endswith("roles.yaml")
    assert err.where and where in err.where, err.where
    assert problem in str(err), str(err)
    assert "How to fix it:" in str(err) and err.fix


def test_bad_yaml_names_the_line(tmp_path):
    """Does a YAML syntax error name the line, not show a traceback from the parser?"""
    path = tmp_path / "roles.yaml"
    path.write_text("version: '1'\nroles:\n  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(RoleDataError) as info:
        load_roles(path)
    assert info.value.where and info.value.where.startswith("line ")


@pytest.mark.parametrize("content", ["", "- just\n- a list\n"])
def test_empty_or_list_file_is_explained(tmp_path, content):
    """Is an empty file, or a plain list, reported as such?"""
    path = tmp_path / "roles.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RoleDataError, match="does not hold a mapping"):
        load_roles(path)


def test_missing_file_is_explained(tmp_path):
    """Is a missing roles file reported with its path?"""
    with pytest.raises(RoleDataError, match="does not exist"):
        load_roles(tmp_path / "nope.yaml")
