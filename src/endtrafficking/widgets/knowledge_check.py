"""Knowledge checks with immediate feedback that explains right and wrong answers.

A notebook shows a check with one line::

    knowledge_check("01_strategy.all_at_once")

The id is ``<lesson id>.<check id>``. The lesson id names the question bank
``course/knowledge_checks/<lesson id>.yaml`` (one file per module or engage
lesson); the check id names one check inside it.

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

In a graded checkpoint (``graded=True``, see
:func:`endtrafficking.grading.checkpoint.question`) the same widget only records
the choice, without a Check button or feedback, to the assignment folder's
``checkpoint_answers.json``; the grader checks it in its own process.

After "Check my answer" the learner sees, for every option, whether they chose
it, whether it is right, and its feedback; then the explanation and the
sources. Answers are saved as they are chosen to
``work_dir()/knowledge_checks.json`` (autosave kind ``knowledge_checks``;
state ``{"answers": {<check id>: {"selected": [...], "checked": bool,
"correct": bool|None, "attempts": int}}}``) and come back when the check is
built again.
"""

from __future__ import annotations

import hashlib
import html
import random
import string
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from endtrafficking.course_meta import _mtime, check_schema, load_bibliography, read_yaml
from endtrafficking.errors import CourseInputError
from endtrafficking.paths import data_file
from endtrafficking.widgets.autosave import AutosaveStore
from endtrafficking.widgets.messages import error_text, notice_html, shown_or_explained
from endtrafficking.workspace import KNOWLEDGE_CHECKS_FILE

BANK_FOLDER = "knowledge_checks"
SCHEMA_FILE = "knowledge_checks.schema.json"
STORE_KIND = "knowledge_checks"
KINDS = ("single", "multiple")
#: A graded question with more options than this shows a drop-down list instead.
MAX_RADIO_OPTIONS = 8


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


_VERDICT_TEXT = {
    "right_choice": "✔ You chose this, and it is right.",
    "wrong_choice": "✘ You chose this, but it is not right.",
    "missed": "➜ You did not choose this, but it is right.",
    "rightly_left": "○ You did not choose this, and that is right.",
}


def _verdict(option: Option, chosen: bool) -> str:
    if chosen:
        return "right_choice" if option.correct else "wrong_choice"
    return "missed" if option.correct else "rightly_left"


# --------------------------------------------------------------------------- loading
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


# --------------------------------------------------------------------------- saved answers
def answers_store() -> AutosaveStore:
    """Where every knowledge-check answer is saved."""
    return AutosaveStore.in_work_dir(KNOWLEDGE_CHECKS_FILE, STORE_KIND)


def graded_answers_store() -> AutosaveStore:
    """Where a graded checkpoint's answers are saved (in the assignment folder)."""
    from endtrafficking.grading.verify import ANSWERS_FILE, ANSWERS_KIND

    return AutosaveStore.in_work_dir(ANSWERS_FILE, ANSWERS_KIND)


def saved_answers() -> dict[str, dict[str, Any]]:
    """Every saved answer, keyed by check id (empty when nothing was saved)."""
    state = answers_store().load() or {}
    answers = state.get("answers", {})
    return answers if isinstance(answers, dict) else {}


# --------------------------------------------------------------------------- order
def display_order(check: Check, seed: str | None = None) -> tuple[Option, ...]:
    """The options in the order a learner sees them: shuffled, but the same every time
    for the same check (seeded from ``seed``, by default the check's id)."""
    digest = hashlib.sha256((seed or check.id).encode("utf-8")).hexdigest()
    options = list(check.options)
    random.Random(digest).shuffle(options)
    return tuple(options)


# --------------------------------------------------------------------------- rendering
def sources_line(keys: tuple[str, ...] | list[str]) -> str:
    """HTML naming each source with its title."""
    if not keys:
        return ""
    bib = load_bibliography()
    items = "".join(
        f"<li>[{html.escape(k)}] {html.escape(bib[k].title) if k in bib else ''}</li>" for k in keys
    )
    return f"<p><strong>Sources</strong></p><ul>{items}</ul>"


def result_html(result: Result, order: tuple[Option, ...] = ()) -> str:
    """The feedback shown after checking: verdict, per-option notes (in ``order``, the
    order shown), explanation, sources."""
    if result.correct:
        head = notice_html("ok", "Correct. Here is why each option is right or wrong:")
    else:
        head = notice_html(
            "warn", "Not quite yet. Read why each option is right or wrong, then try again:"
        )
    place = {o.id: i for i, o in enumerate(order)}
    notes = sorted(result.notes, key=lambda n: place.get(n.option.id, len(place)))
    rows = "".join(
        f"<li><strong>{html.escape(n.option.text)}</strong><br>"
        f"<em>{_VERDICT_TEXT[n.verdict]}</em> {html.escape(n.option.feedback)}</li>"
        for n in notes
    )
    expl = f"<p>{html.escape(result.check.explanation)}</p>" if result.check.explanation else ""
    return f"{head}<ul>{rows}</ul>{expl}{sources_line(result.check.sources)}"


# --------------------------------------------------------------------------- widget
class KnowledgeCheck(widgets.VBox):
    """A question with labelled options, a Check button and explained feedback."""

    def __init__(self, check: Check, *, graded: bool = False, seed: str | None = None) -> None:
        self.check = check
        self.graded = graded
        self.shown = display_order(check, seed)
        self.store = graded_answers_store() if graded else answers_store()
        self.attempts = 0
        self.result: Result | None = None
        label = "Question." if graded else "Knowledge check."
        self.question = widgets.HTML(
            f'<p class="et-kc-question"><strong>{label}</strong> {html.escape(check.question)}</p>'
            if check.question
            else ""
        )
        hint = (
            "Choose one answer." if check.kind == "single" else "Choose every answer that applies."
        )
        self.hint = widgets.Label(hint)
        self.choice: widgets.RadioButtons | widgets.Dropdown | None = None
        self.boxes: list[widgets.Checkbox] = []
        if check.kind == "single":
            many = graded and len(self.shown) > MAX_RADIO_OPTIONS
            self.choice = (widgets.Dropdown if many else widgets.RadioButtons)(
                options=[(o.text, o.id) for o in self.shown],
                value=None,
                description="Your answer:",
                style={"description_width": "initial"},
                layout=widgets.Layout(width="auto"),
            )
            self.choice.observe(self._on_change, names="value")
            controls: list[widgets.Widget] = [self.choice]
        else:
            self.boxes = [
                widgets.Checkbox(
                    value=False,
                    description=o.text,
                    indent=False,
                    layout=widgets.Layout(width="auto"),
                )
                for o in self.shown
            ]
            for box in self.boxes:
                box.observe(self._on_change, names="value")
            controls = [widgets.VBox(self.boxes, layout=widgets.Layout(width="auto"))]
        self.check_button = widgets.Button(
            description="Check my answer",
            tooltip="Check my answer and explain each option",
            icon="check",
        )
        self.check_button.on_click(self._on_check)
        self.feedback = widgets.HTML("")
        self.status = widgets.HTML("")
        button = [] if graded else [self.check_button]
        super().__init__([self.question, self.hint, *controls, *button, self.feedback, self.status])
        self.add_class("et-knowledge-check")
        self._restoring = False
        self._restore()

    # -- selection ---------------------------------------------------------------------
    @property
    def selected(self) -> tuple[str, ...]:
        """Ids of the options currently chosen, in the bank's order."""
        if self.choice is not None:
            return (self.choice.value,) if self.choice.value is not None else ()
        ticked = {o.id for o, box in zip(self.shown, self.boxes, strict=True) if box.value}
        return tuple(o.id for o in self.check.options if o.id in ticked)

    def box(self, option_id: str) -> widgets.Checkbox:
        """The checkbox of the option ``option_id`` (multiple-answer checks)."""
        for opt, box in zip(self.shown, self.boxes, strict=True):
            if opt.id == option_id:
                return box
        raise KeyError(option_id)

    def select(self, option_ids: list[str] | tuple[str, ...]) -> None:
        """Choose these options (as a learner would by clicking)."""
        ids = set(option_ids)
        if self.choice is not None:
            self.choice.value = next(iter(ids)) if ids else None
        else:
            for opt, box in zip(self.shown, self.boxes, strict=True):
                box.value = opt.id in ids

    # -- events ------------------------------------------------------------------------
    def _on_change(self, _change: dict[str, Any]) -> None:
        if self._restoring:
            return
        self.result = None
        self.feedback.value = ""
        self._save(checked=False)

    def _on_check(self, _button: widgets.Button | None = None) -> None:
        chosen = self.selected
        if not chosen:
            self.feedback.value = notice_html("info", "Choose an answer first, then check it.")
            return
        self.attempts += 1
        try:
            self.result = self.check.grade(chosen)
        except ValueError as exc:
            self.feedback.value = notice_html("error", error_text(exc))
            return
        self.feedback.value = result_html(self.result, self.shown)
        self._save(checked=True)

    # -- saving ------------------------------------------------------------------------
    def _save(self, *, checked: bool) -> None:
        state = self.store.load() or {}
        answers = state.get("answers") if isinstance(state.get("answers"), dict) else {}
        answers[self.check.id] = (
            {"selected": list(self.selected), "kind": self.check.kind}
            if self.graded
            else {
                "selected": list(self.selected),
                "checked": checked,
                "correct": self.result.correct if (checked and self.result) else None,
                "attempts": self.attempts,
            }
        )
        try:
            self.store.save({"answers": answers})
        except OSError as exc:
            self.status.value = notice_html(
                "error",
                f"Could not save your answer ({exc.strerror or exc}). It is still shown here.",
            )
            return
        self.status.value = (
            notice_html("ok", f"Saved at {datetime.now().strftime('%H:%M')}.")
            if self.graded
            else ""
        )

    def _restore(self) -> None:
        state = self.store.load() or {}
        answers = state.get("answers") if isinstance(state.get("answers"), dict) else {}
        notes = list(self.store.messages)
        saved = answers.get(self.check.id)
        if isinstance(saved, dict):
            known = {o.id for o in self.check.options}
            chosen = [s for s in saved.get("selected", []) if s in known]
            self.attempts = int(saved.get("attempts", 0) or 0)
            self._restoring = True
            try:
                self.select(chosen)
            finally:
                self._restoring = False
            if saved.get("checked") and chosen and not self.graded:
                self.result = self.check.grade(chosen)
                self.feedback.value = result_html(self.result, self.shown)
            if chosen:
                notes.append("Your earlier answer was restored.")
        if notes:
            self.status.value = notice_html("info", " ".join(notes))


def knowledge_check(check_id: str) -> widgets.Widget:
    """The knowledge check ``<lesson id>.<check id>``, ready to display.

    A broken or missing bank is shown as a message in place of the check,
    never as a traceback.
    """
    return shown_or_explained(lambda: KnowledgeCheck(load_check(check_id)))
