"""What the engage lessons show from the role data, and the sources they list."""

from __future__ import annotations

import re

import pytest

from endtrafficking.course_meta import cited_keys, load_bibliography, notebook_text, sources_html
from endtrafficking.paths import repo_root
from endtrafficking.role_lessons import PARTS, section, section_html, source_keys
from endtrafficking.roles import load_roles


@pytest.mark.parametrize("role_id", load_roles().ids)
def test_every_part_renders_with_its_citations(role_id):
    """Does every part of every role lesson render, with each fact's source keys shown?"""
    role = load_roles().role(role_id)
    pages = {part: section_html(role_id, part) for part in PARTS}
    for fact in role.may_see:
        assert f"[{', '.join(fact.sources)}]" in pages["may_see"]
    for ind in role.indicators:
        assert f"<td>{ind}</td>" in pages["indicators"]
    for training in role.trainings:
        assert training.name.replace("'", "&#x27;") in pages["trainings"]
    assert "1-888-373-7888" in pages["do_not"] and "For everyone" in pages["do_not"]
    for label in ("Enhance", "Come alongside", "Fill a gap"):
        assert f"<strong>{label}</strong>" in pages["engagement"]


def test_a_wrong_part_or_role_is_shown_as_a_message():
    """Does a wrong part or role name show a message in the lesson, not a traceback?"""
    assert "is not a part" in section("educators", "history").data
    assert "no role with id" in section("teachers", "may_see").data


@pytest.mark.parametrize("role_id", load_roles().ids)
def test_sources_cover_text_role_data_and_checks(role_id):
    """Does a lesson's Sources list every key its notebook text and role data cite, all known?"""
    catalogue = load_roles()
    role = catalogue.role(role_id)
    keys = source_keys(role_id)
    text_keys = cited_keys(notebook_text(repo_root() / role.lesson))
    assert set(text_keys) | set(role.source_keys()) | set(catalogue.safety_keys()) <= set(keys)
    assert set(keys) <= set(load_bibliography())
    shown = sources_html(keys)
    assert all(f"[{k}]" in shown for k in keys)
    assert "not in the course bibliography" not in shown


def test_every_lesson_has_the_required_parts():
    """Does each role lesson have its header, sections, exercise, checks, key points and Sources?"""
    for role in load_roles().roles:
        code = notebook_text(repo_root() / role.lesson, "code")
        text = notebook_text(repo_root() / role.lesson)
        assert f'lesson_header("{role.lesson_id}")' in code
        for part in PARTS:
            assert f'section("{role.id}", "{part}")' in code
        assert f'role_plan("{role.id}")' in code
        for check in role.knowledge_checks:
            assert f'knowledge_check("{check}")' in code
        assert f'sources("{role.id}")' in code
        for heading in (
            "## What not to do",
            "## Three ways to engage",
            "## Key points",
            "## Sources",
        ):
            assert heading in text, (role.lesson, heading)
        assert "1-888-373-7888" in text and "233733" in text
        assert "Instructor note" in text
        assert not re.search(r"\bchild prostitut", text, re.IGNORECASE)
