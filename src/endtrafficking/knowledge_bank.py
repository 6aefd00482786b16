"""Question banks of the knowledge checks: loading, checking the format, grading a choice.

The id of a check is ``<lesson id>.<check id>``: the lesson id names the bank
``course/knowledge_checks/<lesson id>.yaml``, the check id one check in it.
Nothing here needs ipywidgets (the grader reads banks in its own process).

Question-bank format (checked against ``data/knowledge_checks.schema.json``
and the rules below every time a bank is loaded)::

    lesson: 01_strategy            # must equal the file name without .yaml
    checks:
      - id: all_at_once            # lower_case_with_underscores, unique in the file
        kind: single               # single: exactly one correct option (radio buttons)
                                   # multiple: one or more correct options (checkboxes)
        question: Why does a community need to work on every focus area at once?
        options:                   # at least two
          - id: a                  # optional; defaults to a, b, c ... by position
            text: Because a gap in one area undoes the work in the others.
            correct: true
            feedback: >-          # required for EVERY option, right or wrong: why
              Right. For example, ...
          - text: ...
            correct: false
            feedback: ...
        explanation: >-           # optional: shown after checking, whatever the answer
          ...
        sources: [S1, E1]          # optional; every key must be in course/bibliography.yaml

Options are shown in a stable shuffled order (:func:`display_order`, seeded from
the check's id: the same on every visit, so a saved choice still makes sense),
so the right answer's place in the bank gives nothing away. Saved answers name
option ids, never positions.
"""

from __future__ import annotations

import hashlib
import random
import string
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from endtrafficking.course_meta import _mtime, check_schema, load_bibliography, read_yaml
from endtrafficking.errors import CourseInputError
from endtrafficking.paths import data_file

BANK_FOLDER = "knowledge_checks"


SCHEMA_FILE = "knowledge_checks.schema.json"


KINDS = ("single", "multiple")


class KnowledgeCheckError(CourseInputError):
    """A knowledge-check bank is missing or breaks the format."""


@dataclass(frozen=True)
class Option:
    """One answer option and the feedback that explains it."""

    id: str
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Check:
    """One knowledge-check question."""

    id: str  # "<lesson>.<local id>"
    lesson: str
    question: str
    kind: str
    options: tuple[Option, ...]
    explanation: str = ""
    sources: tuple[str, ...] = ()

    @property
    def correct_ids(self) -> frozenset[str]:
        """Ids of the correct options."""
        return frozenset(o.id for o in self.options if o.correct)

    def option(self, option_id: str) -> Option:
        """Look up an option by id (KeyError if unknown)."""
        for opt in self.options:
            if opt.id == option_id:
                return opt
        raise KeyError(option_id)

    def grade(self, selected: list[str] | tuple[str, ...] | set[str]) -> Result:
        """Whether ``selected`` is exactly the set of correct options, with per-option notes."""
        chosen = set(selected)
        unknown = chosen - {o.id for o in self.options}
        if unknown:
            raise ValueError(f"unknown option(s) {sorted(unknown)} for check {self.id}")
        notes = tuple(
            OptionNote(option=o, chosen=o.id in chosen, verdict=_verdict(o, o.id in chosen))
            for o in self.options
        )
        return Result(check=self, correct=chosen == set(self.correct_ids), notes=notes)


@dataclass(frozen=True)
class OptionNote:
    """What the learner did with one option, and what to tell them about it."""

    option: Option
    chosen: bool
    verdict: str  # right_choice, wrong_choice, missed, rightly_left


@dataclass(frozen=True)
class Result:
    """The outcome of checking an answer."""

    check: Check
    correct: bool
    notes: tuple[OptionNote, ...] = field(default=())


#: What each verdict on an option says to the learner.
VERDICT_TEXT = {
    "right_choice": "✔ You chose this, and it is right.",
    "wrong_choice": "✘ You chose this, but it is not right.",
    "missed": "➜ You did not choose this, but it is right.",
    "rightly_left": "○ You did not choose this, and that is right.",
}


def _verdict(option: Option, chosen: bool) -> str:
    if chosen:
        return "right_choice" if option.correct else "wrong_choice"
    return "missed" if option.correct else "rightly_left"


def bank_dir() -> Path:
    """The folder holding one question bank per lesson."""
    return data_file(BANK_FOLDER)


def bank_path(lesson_id: str) -> Path:
    """The question bank of a lesson."""
    return bank_dir() / f"{lesson_id}.yaml"


def parse_bank(data: Any, path: str | Path) -> dict[str, Check]:
    """Validate parsed bank data and build its checks, keyed by full check id.

    Raises:
        KnowledgeCheckError: naming the file, the field, the problem and the fix.
    """
    if not isinstance(data, dict):
        raise KnowledgeCheckError(
            "the file does not hold a mapping with 'lesson' and 'checks'.",
            fix="start from a bank shipped with the course, e.g. course/knowledge_checks/01_strategy.yaml.",
            file=path,
        )
    check_schema(data, SCHEMA_FILE, path, KnowledgeCheckError)
    stem = Path(path).stem
    if data["lesson"] != stem:
        raise KnowledgeCheckError(
            f"the lesson is {data['lesson']!r} but the file is named {stem}.yaml.",
            fix="make 'lesson' the file name without .yaml (the lesson's id in course.yaml).",
            file=path,
            where="field lesson",
        )
    bib = load_bibliography()
    checks: dict[str, Check] = {}
    for c_i, raw in enumerate(data["checks"]):
        where = f"field checks[{c_i}]"
        full_id = f"{stem}.{raw['id']}"
        if full_id in checks:
            raise KnowledgeCheckError(
                f"the check id {raw['id']!r} is used twice.",
                fix="give every check in the file its own id.",
                file=path,
                where=f"{where}.id",
            )
        options = _parse_options(raw, where, path)
        for s_i, key in enumerate(raw.get("sources", [])):
            if key not in bib:
                raise KnowledgeCheckError(
                    f"the source key {key!r} is not in course/bibliography.yaml.",
                    fix="cite a key listed in course/bibliography.yaml, or add the source there first.",
                    file=path,
                    where=f"{where}.sources[{s_i}]",
                )
        checks[full_id] = Check(
            id=full_id,
            lesson=stem,
            question=raw["question"],
            kind=raw["kind"],
            options=tuple(options),
            explanation=raw.get("explanation", ""),
            sources=tuple(raw.get("sources", [])),
        )
    return checks


def _parse_options(raw: dict[str, Any], where: str, path: str | Path) -> list[Option]:
    """A check's options, checked: distinct ids, and as many right answers as its kind needs."""
    options = []
    for o_i, opt in enumerate(raw["options"]):
        opt_id = opt.get("id") or (string.ascii_lowercase[o_i] if o_i < 26 else f"o{o_i}")
        if any(o.id == opt_id for o in options):
            raise KnowledgeCheckError(
                f"the option id {opt_id!r} is used twice.",
                fix="give every option of a check its own id (or leave ids out).",
                file=path,
                where=f"{where}.options[{o_i}].id",
            )
        options.append(Option(opt_id, opt["text"], opt["correct"], opt["feedback"]))
    n_correct = sum(o.correct for o in options)
    if raw["kind"] == "single" and n_correct != 1:
        raise KnowledgeCheckError(
            f"a single-answer check needs exactly one correct option; this one has {n_correct}.",
            fix="mark exactly one option 'correct: true', or make the check 'kind: multiple'.",
            file=path,
            where=f"{where}.options",
        )
    if raw["kind"] == "multiple" and n_correct < 1:
        raise KnowledgeCheckError(
            "a multiple-answer check needs at least one correct option; this one has none.",
            fix="mark the right options 'correct: true'.",
            file=path,
            where=f"{where}.options",
        )
    return options


def load_bank(lesson_id_or_path: str | Path) -> dict[str, Check]:
    """Load and validate one question bank (by lesson id or by path).

    Raises:
        KnowledgeCheckError: the file is missing, not YAML, or breaks the format.
    """
    text = str(lesson_id_or_path)
    path = Path(text) if text.endswith((".yaml", ".yml")) else bank_path(text)
    return dict(_load_bank_cached(str(path.resolve()), _mtime(path)))


@lru_cache(maxsize=32)
def _load_bank_cached(path: str, mtime: float) -> tuple[tuple[str, Check], ...]:
    if mtime < 0:
        raise KnowledgeCheckError(
            "there is no question bank for this lesson.",
            fix="create it in the format described in endtrafficking.widgets.knowledge_check.",
            file=path,
        )
    return tuple(parse_bank(read_yaml(path, KnowledgeCheckError), path).items())


def load_check(check_id: str) -> Check:
    """The check ``<lesson id>.<check id>``.

    Raises:
        KnowledgeCheckError: the id is malformed, or the bank or the check is missing.
    """
    lesson_id, dot, local = check_id.partition(".")
    if not dot or not lesson_id or not local:
        raise KnowledgeCheckError(
            f"{check_id!r} is not a knowledge-check id.",
            fix="write it as '<lesson id>.<check id>', for example '01_strategy.all_at_once'.",
        )
    bank = load_bank(lesson_id)
    if check_id not in bank:
        known = ", ".join(bank)
        raise KnowledgeCheckError(
            f"there is no check {local!r} in this bank.",
            fix=f"use one of: {known}.",
            file=bank_path(lesson_id),
        )
    return bank[check_id]


def all_banks() -> dict[str, dict[str, Check]]:
    """Every question bank in the course, keyed by lesson id (each one validated)."""
    return {p.stem: load_bank(p) for p in sorted(bank_dir().glob("*.yaml"))}


def display_order(check: Check, seed: str | None = None) -> tuple[Option, ...]:
    """The options in the order a learner sees them: shuffled, but the same every time
    for the same check (seeded from ``seed``, by default the check's id)."""
    digest = hashlib.sha256((seed or check.id).encode("utf-8")).hexdigest()
    options = list(check.options)
    random.Random(digest).shuffle(options)
    return tuple(options)
