"""The shared exercise of every engage lesson: a personal plan of three actions.

Every role lesson shows it with one line::

    role_plan("educators")

and everything role-specific comes from ``engage_lessons/roles.yaml``
(:mod:`endtrafficking.roles`): one widget, nine roles.

* If the learner saved a community assessment in module 03
  (``work_dir()/assessment.json``), the plan starts from that community's gaps,
  ranked for the role (:func:`endtrafficking.role_plans.role_gaps`): the role's
  own indicators first.
* If not, the widget asks for a quick rating of the role's indicators and
  builds the gaps from those.

Each of the three actions has a gap, an engagement option (suggested from the
gap), a concrete action pre-filled from the role's examples (editable), a first
step and a "by when". Everything is saved as it changes to
``work_dir()/role_plan_<role id>.json`` (autosave kind ``role_plan``) and comes
back when the cell runs again. Free text is checked with
:func:`endtrafficking.privacy.privacy_warnings`. The plan exports as Markdown
or HTML to the working folder.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from endtrafficking.errors import CourseInputError
from endtrafficking.framework import ENGAGEMENT_OPTIONS, Framework, load_framework
from endtrafficking.role_plans import (
    PLAN_SIZE,
    Candidate,
    Plan,
    PlanAction,
    initial_actions,
    inline_assessment,
    plan_file,
    plan_warnings,
    role_gaps,
    suggest_action,
)
from endtrafficking.roles import Role, load_role
from endtrafficking.widgets.autosave import AutosaveStore
from endtrafficking.widgets.downloads import download_button
from endtrafficking.widgets.messages import (
    error_text,
    notice_html,
    save_failed_html,
    saved_html,
    shown_or_explained,
)
from endtrafficking.widgets.role_plan_actions import (
    TEXT_FIELDS,
    ActionRow,
    gap_label,
    gaps_html,
    saved_actions,
)
from endtrafficking.widgets.role_plan_sources import (
    NOT_SURE,
    describe_source,
    load_plan_assessment,
    quick_rating_controls,
    saved_gap_candidate,
)
from endtrafficking.workspace import ASSESSMENT_FILE, role_plan_file, work_file

#: Kept importable from here (the course summary reads saved plans with these).
__all__ = [
    "NOT_SURE",
    "STORE_KIND",
    "ActionRow",
    "RolePlan",
    "gap_label",
    "gaps_html",
    "plan_store_name",
    "role_plan",
    "saved_actions",
]

STORE_KIND = "role_plan"


def plan_store_name(role_id: str) -> str:
    """The autosave file of a role's plan, e.g. ``role_plan_educators.json``."""
    return role_plan_file(role_id)


class RolePlan(widgets.VBox):
    """A role's plan of three actions, built from the learner's gaps; saved as it changes."""

    def __init__(
        self,
        role: Role,
        *,
        framework: Framework | None = None,
        assessment_path: str | Path | None = None,
    ) -> None:
        self.role = role
        self.framework = framework or load_framework()
        self.store = AutosaveStore.in_work_dir(plan_store_name(role.id), STORE_KIND)
        self.assessment_path = (
            Path(assessment_path) if assessment_path is not None else work_file(ASSESSMENT_FILE)
        )
        self._busy = False
        self.previous_actions: list[dict[str, str]] = []
        self.assessment, source_note = load_plan_assessment(self.assessment_path, self.framework)
        self.basis = "assessment" if self.assessment is not None else "inline"
        self.candidates: list[Candidate] = []

        self.title = widgets.HTML(f"<h3>Your plan of three actions: {html.escape(role.name)}</h3>")
        self.source = widgets.HTML("")
        self.rating_controls: dict[str, widgets.Dropdown] = {}
        self.rating_box = widgets.VBox([])
        self._build_controls()
        self.gap_list = widgets.HTML("")
        self.actions_box = widgets.VBox([])
        self.warnings = widgets.HTML("")
        self.export_buttons = {
            "html": download_button(
                "Download my plan (HTML, to read and print)", lambda: self.export_file("html")
            ),
            "md": download_button(
                "Download my plan (Markdown, plain text)", lambda: self.export_file("md")
            ),
        }
        self.status = widgets.HTML("")
        self.saved = widgets.HTML("")
        super().__init__(
            [
                self.title,
                self.source,
                self.rating_box,
                self.actions_box,
                self.warnings,
                self.saved,
                self.status,
                *self.export_buttons.values(),
            ]
        )
        self.add_class("et-role-plan")
        self._start(source_note)

    def _build_controls(self) -> None:
        """The two build buttons and the three action rows, connected to their handlers."""
        self.build_button = widgets.Button(
            description="Build my plan from these ratings",
            tooltip="Rank the gaps from your ratings and pre-fill three actions",
            icon="list",
            layout=widgets.Layout(width="auto"),
        )
        self.build_button.on_click(self._on_rebuild)
        self.refresh_button = widgets.Button(
            description="Start again from my current gaps",
            tooltip="Replace the three actions with new ones from your current gaps "
            "(the current plan is kept as the previous version)",
            icon="refresh",
            layout=widgets.Layout(width="auto"),
        )
        self.refresh_button.on_click(self._on_rebuild)
        self.rows = [ActionRow(n, self.framework) for n in range(1, PLAN_SIZE + 1)]
        for row in self.rows:
            row.gap.observe(lambda change, r=row: self._on_gap(r), names="value")
            row.option.observe(lambda change, r=row: self._on_option(r), names="value")
            for name in TEXT_FIELDS:
                getattr(row, name).observe(self._on_text, names="value")

    def _describe_source(self) -> str:
        return describe_source(self.assessment)

    def inline_ratings(self) -> dict[str, int | None]:
        """The quick ratings given in the lesson (None for "not sure yet")."""
        return {
            ind: (None if box.value == NOT_SURE else int(box.value))
            for ind, box in self.rating_controls.items()
        }

    def _current_candidates(self) -> list[Candidate]:
        if self.assessment is not None:
            return role_gaps(self.assessment, self.role)
        quick = inline_assessment(self.role, self.inline_ratings(), self.framework)
        return role_gaps(quick, self.role, quick=True)

    # -- start-up and restore ----------------------------------------------------------
    def _start(self, source_note: str) -> None:
        saved = self.store.load()
        notes = list(self.store.messages)
        state = saved if isinstance(saved, dict) else {}
        previous = state.get("previous_actions")
        if isinstance(previous, list):
            self.previous_actions = [a for a in previous if isinstance(a, dict)]
        actions_saved = saved_actions(state.get("actions"))
        prefilled = state.get("prefilled") if isinstance(state.get("prefilled"), list) else []
        if self.basis == "inline":
            self.rating_controls, items = quick_rating_controls(
                self.role, self.framework, state.get("inline_ratings")
            )
            for box in self.rating_controls.values():
                box.observe(self._on_rating, names="value")
            self.rating_box.children = [*items, self.build_button]
        if self.assessment is not None:
            top = ", ".join(
                c.indicator_id for c in role_gaps(self.assessment, self.role)[:PLAN_SIZE]
            )
            self.source.value = notice_html(
                "info",
                f"This plan starts from {self._describe_source()}. Your top gaps for this "
                f"role: {top}. {source_note}".strip(),
            )
        else:
            self.source.value = notice_html("info", source_note)
        if actions_saved:
            self._show_actions(self._padded(actions_saved), [str(p) for p in prefilled])
            notes.append("Your plan was restored.")
            if state.get("basis") == "inline" and self.basis == "assessment":
                notes.append(
                    "You built it from quick ratings; you have saved a community assessment "
                    "since. Press 'Start again from my current gaps' to build it from the "
                    "assessment (the current plan is kept as the previous version)."
                )
        elif self.basis == "assessment":
            self._rebuild()
        else:
            self.actions_box.children = [
                widgets.HTML(
                    notice_html(
                        "info",
                        "Rate each point (or leave it as 'Not sure yet'), then press the button.",
                    )
                )
            ]
        if notes:
            self.status.value = notice_html("info", " ".join(notes))

    def _show_actions(self, actions: list[PlanAction], prefilled: list[str]) -> None:
        self.candidates = self._current_candidates()
        self._busy = True
        try:
            for i, (row, act) in enumerate(zip(self.rows, actions, strict=False)):
                offered = list(self.candidates)
                if act.indicator_id not in {c.indicator_id for c in offered}:
                    extra = saved_gap_candidate(act.indicator_id, self.framework, self.role)
                    if extra is not None:
                        offered.append(extra)
                row.set_candidates(offered)
                if act.indicator_id in row.candidates:
                    row.gap.value = act.indicator_id
                if act.option in ENGAGEMENT_OPTIONS:
                    row.option.value = act.option
                row.action.value = act.action
                row.first_step.value = act.first_step
                row.by_when.value = act.by_when
                row.prefilled = prefilled[i] if i < len(prefilled) else ""
                row.show_why()
        finally:
            self._busy = False
        self.gap_list.value = gaps_html(self.candidates)
        self.actions_box.children = [self.gap_list, *self.rows, self.refresh_button]
        self._check_privacy()

    def _padded(self, actions: list[PlanAction]) -> list[PlanAction]:
        """Saved actions, topped up to three from the current gaps if some were lost."""
        if len(actions) >= PLAN_SIZE:
            return actions[:PLAN_SIZE]
        chosen = {a.indicator_id for a in actions}
        spare = [c for c in self._current_candidates() if c.indicator_id not in chosen]
        return actions + initial_actions(self.role, spare, PLAN_SIZE - len(actions))

    def _rebuild(self) -> None:
        current = [r.value() for r in self.rows if r.gap.value]
        if any(a.action or a.first_step or a.by_when for a in current):
            self.previous_actions = [a.__dict__.copy() for a in current]
        self.candidates = self._current_candidates()
        actions = initial_actions(self.role, self.candidates)
        self._show_actions(actions, [a.action for a in actions])
        self._save()

    # -- events ------------------------------------------------------------------------
    def _on_rebuild(self, _button: widgets.Button | None = None) -> None:
        try:
            self._rebuild()
        except (CourseInputError, ValueError) as exc:
            self.status.value = notice_html("error", error_text(exc))
            return
        kept = " Your previous plan is kept in the saved file." if self.previous_actions else ""
        self.status.value = notice_html(
            "ok", f"Built three actions from {self._describe_source()}.{kept}"
        )

    def _on_rating(self, _change: dict[str, Any]) -> None:
        if self._busy:
            return
        self._save()

    def _on_gap(self, row: ActionRow) -> None:
        if self._busy:
            return
        cand = row.candidates.get(row.gap.value)
        self._busy = True
        try:
            if cand is not None:
                row.option.value = cand.suggested_option
            self._prefill(row)
            row.show_why()
        finally:
            self._busy = False
        self._after_edit()

    def _on_option(self, row: ActionRow) -> None:
        if self._busy:
            return
        self._busy = True
        try:
            self._prefill(row)
        finally:
            self._busy = False
        self._after_edit()

    def _on_text(self, _change: dict[str, Any]) -> None:
        if self._busy:
            return
        self._after_edit()

    def _prefill(self, row: ActionRow) -> None:
        """Replace the action with an example for the gap and option, unless the learner edited it."""
        text = row.action.value.strip()
        if text and text != row.prefilled.strip():
            return
        used = {r.action.value for r in self.rows if r is not row}
        new = suggest_action(self.role, str(row.gap.value or ""), str(row.option.value), used)
        row.action.value = new
        row.prefilled = new

    def _after_edit(self) -> None:
        self._check_privacy()
        self._save()

    def _check_privacy(self) -> None:
        found = plan_warnings(self.actions())
        self.warnings.value = (
            notice_html("warn", "Please check: " + " ".join(found)) if found else ""
        )

    # -- state -------------------------------------------------------------------------
    def actions(self) -> list[PlanAction]:
        """The actions as currently entered (only rows that have a gap)."""
        return [r.value() for r in self.rows if r.gap.value]

    def state(self) -> dict[str, Any]:
        """Everything needed to restore the plan."""
        return {
            "role": self.role.id,
            "basis": self.basis,
            "inline_ratings": self.inline_ratings(),
            "actions": [a.__dict__.copy() for a in self.actions()],
            "prefilled": [r.prefilled for r in self.rows if r.gap.value],
            "previous_actions": self.previous_actions,
        }

    def _save(self) -> None:
        try:
            self.store.save(self.state())
        except OSError as exc:
            self.saved.value = save_failed_html(exc)
            return
        self.saved.value = saved_html()

    def plan(self) -> Plan:
        """The plan as entered, ready to render or export."""
        return Plan(
            role=self.role,
            framework=self.framework,
            actions=self.actions(),
            basis=self._describe_source(),
            candidates={c.indicator_id: c for row in self.rows for c in row.candidates.values()},
        )

    def export_file(self, fmt: str) -> tuple[str, bytes]:
        """The plan as a ``md`` or ``html`` file (its name and bytes), saved first."""
        if not self.actions():
            raise CourseInputError(
                "your plan has no actions yet.", fix="build your plan first, then download it."
            )
        self._save()
        found = plan_warnings(self.actions())
        self.status.value = (
            notice_html("warn", "Before you share it, remove the personal details flagged above.")
            if found
            else ""
        )
        return plan_file(self.plan(), fmt)


def role_plan(role_id: str, *, assessment_path: str | Path | None = None) -> widgets.Widget:
    """The plan exercise for a role, ready to display.

    A broken role file or an unknown role is shown as a message, never as a traceback.
    """
    return shown_or_explained(
        lambda: RolePlan(load_role(role_id), assessment_path=assessment_path), also=(ValueError,)
    )
