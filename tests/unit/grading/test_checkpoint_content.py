"""The graded questions are not the lessons' practice questions, whose answers learners have."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import nbformat
import yaml

REPO = Path(__file__).resolve().parents[3]
#: Two question texts this similar are the same question.
SAME_QUESTION = 0.6


def _graded_questions() -> list[tuple[str, str]]:
    found = []
    for path in sorted((REPO / "course" / "source").glob("*/01_knowledge_check.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if (
                cell.get("metadata", {})
                .get("nbgrader", {})
                .get("grade_id", "")
                .endswith("_question")
            ):
                text = re.sub(r"Set `\w+` to.*", "", cell.source.split("\n", 2)[-1], flags=re.S)
                found.append((f"{path.parent.name}/{cell.metadata.nbgrader.grade_id}", text))
    return found


def _bank_questions() -> list[tuple[str, str]]:
    found = []
    for path in sorted((REPO / "course" / "knowledge_checks").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = data.get("checks", []) if isinstance(data, dict) else data
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and "question" in item:
                found.append((f"{path.name}/{item.get('id', '?')}", str(item["question"])))
    return found


def _norm(text: str) -> str:
    return " ".join(re.sub(r"\[[^\]]*\]|[`*\"]", " ", text).casefold().split())


def test_graded_questions_are_found() -> None:
    """Does the scan see every graded question (so the check below checks something)?"""
    assert len(_graded_questions()) == 14


def test_no_graded_question_is_a_practice_question() -> None:
    """Is no graded knowledge-check question a near copy of a lesson's practice question?
    (Text similarity only: a reviewer still checks that no bank answers a graded question.)"""
    bank = _bank_questions()
    for name, text in _graded_questions():
        for bank_name, bank_text in bank:
            ratio = difflib.SequenceMatcher(None, _norm(text), _norm(bank_text)).ratio()
            assert ratio < SAME_QUESTION, f"{name} repeats {bank_name} ({ratio:.2f})"


def test_the_practice_questions_are_found() -> None:
    """Does the scan see the lessons' question banks?"""
    assert len(_bank_questions()) > 20
