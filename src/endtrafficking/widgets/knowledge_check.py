"""Knowledge checks with immediate feedback that explains right and wrong answers.

A notebook shows a check with one line::

    knowledge_check("01_strategy.all_at_once")

The id is ``<lesson id>.<check id>``. The lesson id names the question bank
``course/knowledge_checks/<lesson id>.yaml`` (one file per module or engage
lesson); the check id names one check inside it.

The bank's format, its checks and the stable order options are shown in are in
:mod:`endtrafficking.knowledge_bank`.

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

import html
from datetime import datetime
from typing import Any

import ipywidgets as widgets

from endtrafficking.course_meta import load_bibliography
from endtrafficking.knowledge_bank import (
    BANK_FOLDER,
    KINDS,
    SCHEMA_FILE,
    VERDICT_TEXT,
    Check,
    KnowledgeCheckError,
    Option,
    OptionNote,
    Result,
    all_banks,
    bank_dir,
    bank_path,
    display_order,
    load_bank,
    load_check,
    parse_bank,
)
from endtrafficking.widgets.autosave import AutosaveStore
from endtrafficking.widgets.messages import error_text, notice_html, shown_or_explained
from endtrafficking.workspace import KNOWLEDGE_CHECKS_FILE

STORE_KIND = "knowledge_checks"
#: A graded question with more options than this shows a drop-down list instead.
MAX_RADIO_OPTIONS = 8

#: Kept importable from here: lessons, checkpoints and the grader import these names.
__all__ = [
    "BANK_FOLDER",
    "KINDS",
    "MAX_RADIO_OPTIONS",
    "SCHEMA_FILE",
    "STORE_KIND",
    "Check",
    "KnowledgeCheck",
    "KnowledgeCheckError",
    "Option",
    "OptionNote",
    "Result",
    "all_banks",
    "answers_store",
    "bank_dir",
    "bank_path",
    "display_order",
    "graded_answers_store",
    "knowledge_check",
    "load_bank",
    "load_check",
    "parse_bank",
    "result_html",
    "saved_answers",
    "sources_line",
]


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
        f"<em>{VERDICT_TEXT[n.verdict]}</em> {html.escape(n.option.feedback)}</li>"
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
