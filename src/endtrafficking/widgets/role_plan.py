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

from endtrafficking.assessment import Assessment
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
from endtrafficking.safe_save import backup_path
from endtrafficking.storage import load_assessment
from endtrafficking.widgets.autosave import AutosaveStore
from endtrafficking.widgets.downloads import download_button
from endtrafficking.widgets.messages import (
    error_text,
    notice_html,
    save_failed_html,
    saved_html,
    shown_or_explained,
)
from endtrafficking.workspace import ASSESSMENT_FILE, role_plan_file, work_file

STORE_KIND = "role_plan"
NOT_SURE = ""
TEXT_FIELDS = ("action", "first_step", "by_when")
#: Layouts are given as dicts: a Layout built at import time would open a comm.
_WIDE = {"width": "100%"}
_LABELS = {"description_width": "8em"}


def plan_store_name(role_id: str) -> str:
    """The autosave file of a role's plan, e.g. ``role_plan_educators.json``."""
    return role_plan_file(role_id)


def gap_label(cand: Candidate) -> str:
    """A drop-down label that fits on one line: code, area and rating.

    The whole question is shown under the drop-down (:meth:`ActionRow.show_why`) and in
    the list of gaps above the actions (:func:`gaps_html`), never cut to fit.
    """
    mark = "" if cand.relevant else " (outside your role)"
    return f"{cand.indicator_id} · {cand.area} · {cand.rating_label}{mark}"


def gaps_html(candidates: list[Candidate]) -> str:
    """Every gap the drop-downs offer, with its whole question (folded until opened)."""
    if not candidates:
        return ""
    items = "".join(
        f"<li><strong>{html.escape(gap_label(c))}</strong>: {html.escape(c.question)}</li>"
        for c in candidates
    )
    return (
        f'<details class="et-role-plan-gaps"><summary>What each gap in the lists asks '
        f"({len(candidates)} gaps, most urgent first)</summary><ol>{items}</ol></details>"
    )


class ActionRow(widgets.VBox):
    """The controls of one action: gap, option, action, first step, by when."""

    def __init__(self, number: int, framework: Framework) -> None:
        self.number = number
        self.prefilled = ""
        self.candidates: dict[str, Candidate] = {}
        self._framework = framework
        self.heading = widgets.HTML(f"<h4>Action {number}</h4>")
        self.gap = widgets.Dropdown(description="Gap", style=_LABELS, layout=_WIDE)
        self.why = widgets.HTML("")
        self.option = widgets.ToggleButtons(
            options=[(framework.options.get(o, o), o) for o in ENGAGEMENT_OPTIONS],
            description="Option",
            style=_LABELS,
            tooltips=[
                "Strengthen what you already do",
                "Support organizations already serving your community",
                "Start something nobody provides yet",
            ],
        )
        self.action = widgets.Textarea(
            description="Action",
            placeholder="What you will do (pre-filled from examples for your role: edit it)",
            continuous_update=False,
            rows=3,
            style=_LABELS,
            layout=_WIDE,
        )
        self.first_step = widgets.Text(
            description="First step",
            placeholder="The first small thing you will do, e.g. ask for 15 minutes at the next team meeting",
            continuous_update=False,
            style=_LABELS,
            layout=_WIDE,
        )
        self.by_when = widgets.Text(
            description="By when",
            placeholder="e.g. the end of next month",
            continuous_update=False,
            style=_LABELS,
            layout=_WIDE,
        )
        super().__init__(
            [
                self.heading,
                self.gap,
                self.why,
                self.option,
                self.action,
                self.first_step,
                self.by_when,
            ],
            layout=widgets.Layout(border="1px solid #ccc", padding="0.4em", margin="0.3em 0"),
        )
        self.add_class("et-role-plan-action")

    def set_candidates(self, candidates: list[Candidate]) -> None:
        """Offer these gaps in the drop-down (keeps the current choice if it is offered)."""
        self.candidates = {c.indicator_id: c for c in candidates}
        current = self.gap.value
        self.gap.options = [(gap_label(c), c.indicator_id) for c in candidates]
        if current in self.candidates:
            self.gap.value = current

    def show_why(self) -> None:
        """Explain the chosen gap: its rating, area, suggested option and organizations."""
        cand = self.candidates.get(self.gap.value)
        if cand is None:
            self.why.value = ""
            return
        option = self._framework.options.get(cand.suggested_option, cand.suggested_option)
        orgs = (
            f"<br>Organizations you named: {html.escape(cand.organizations)}"
            if cand.organizations
            else ""
        )
        self.why.value = (
            f'<div class="et-role-plan-why"><em>{html.escape(cand.question)}</em><br>'
            f"Rating: <strong>{html.escape(cand.rating_label)}</strong> · "
            f"Area: {html.escape(cand.area)} · Suggested option: <strong>{html.escape(option)}"
            f"</strong> ({html.escape(cand.reason)}){orgs}</div>"
        )

    def value(self) -> PlanAction:
        """The action as entered."""
        return PlanAction(
            indicator_id=str(self.gap.value or ""),
            option=str(self.option.value),
            action=self.action.value,
            first_step=self.first_step.value,
            by_when=self.by_when.value,
        )


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
        self.assessment, source_note = self._load_assessment()
        self.basis = "assessment" if self.assessment is not None else "inline"
        self.candidates: list[Candidate] = []

        self.title = widgets.HTML(f"<h3>Your plan of three actions: {html.escape(role.name)}</h3>")
        self.source = widgets.HTML("")
        self.rating_controls: dict[str, widgets.Dropdown] = {}
        self.rating_box = widgets.VBox([])
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

    # -- where the gaps come from ------------------------------------------------------
    def _load_assessment(self) -> tuple[Assessment | None, str]:
        path = self.assessment_path
        if not path.exists():
            return None, (
                "No saved community assessment from module 03 was found, so rate how your "
                "community is doing on the points that matter most to your role."
            )
        try:
            assessment = load_assessment(path, self.framework)
        except CourseInputError as exc:
            previous = backup_path(path)
            try:  # read-only: module 03 repairs the file itself the next time it opens
                assessment = load_assessment(previous, self.framework)
            except CourseInputError:
                return None, (
                    f"Your saved assessment could not be read, so this plan uses quick ratings "
                    f"instead (your file was not changed). {error_text(exc)}"
                )
            if assessment.rated_count == 0:
                return None, (
                    "Your saved assessment could not be read and its previous version has no "
                    "ratings, so rate the points that matter most to your role here."
                )
            return assessment, (
                "Your saved assessment could not be read, so this plan uses its previous "
                "version (your files were not changed; module 03 will repair them)."
            )
        if assessment.rated_count == 0:
            return None, (
                "Your saved assessment has no ratings yet, so rate the points that matter most "
                "to your role here (or finish module 03 first)."
            )
        return assessment, ""

    def _describe_source(self) -> str:
        if self.assessment is None:
            return "the quick ratings you gave in this lesson"
        name = self.assessment.community.strip()
        text = f"your community assessment of {name}" if name else "your community assessment"
        if self.assessment.fictional:
            text += " (a fictional example community)"
        return text

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
            self._build_rating_controls(state.get("inline_ratings"))
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

    def _build_rating_controls(self, saved: Any) -> None:
        saved = saved if isinstance(saved, dict) else {}
        options = [("Not sure yet", NOT_SURE)] + [
            (f"{level.value} {level.label}", str(level.value)) for level in self.framework.scale
        ]
        items: list[widgets.Widget] = [
            widgets.HTML(
                "<p><strong>Quick rating.</strong> How is your community doing on each point? "
                + " · ".join(
                    f"{lv.value} {html.escape(lv.label)}: {html.escape(lv.description)}"
                    for lv in self.framework.scale
                )
                + "</p>"
            )
        ]
        for ind_id in self.role.indicators:
            ind = self.framework.indicator(ind_id)
            value = saved.get(ind_id)
            box = widgets.Dropdown(
                options=options,
                value=str(value)
                if value in {lv.value for lv in self.framework.scale}
                else NOT_SURE,
                description=ind_id,
                tooltip=ind.question,
                style={"description_width": "4em"},
            )
            box.observe(self._on_rating, names="value")
            self.rating_controls[ind_id] = box
            items.append(widgets.HTML(f"<em>{html.escape(ind.question)}</em>"))
            items.append(box)
        items.append(self.build_button)
        self.rating_box.children = items

    def _show_actions(self, actions: list[PlanAction], prefilled: list[str]) -> None:
        self.candidates = self._current_candidates()
        self._busy = True
        try:
            for i, (row, act) in enumerate(zip(self.rows, actions, strict=False)):
                offered = list(self.candidates)
                if act.indicator_id not in {c.indicator_id for c in offered}:
                    extra = self._candidate_for(act.indicator_id)
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

    def _candidate_for(self, indicator_id: str) -> Candidate | None:
        """A drop-down entry for a saved gap that is no longer among the current gaps."""
        try:
            ind = self.framework.indicator(indicator_id)
        except KeyError:
            return None
        return Candidate(
            indicator_id=ind.id,
            area=self.framework.area(ind.area_id).name,
            question=ind.question,
            rating=None,
            rating_label="from your saved plan",
            severity=0.0,
            suggested_option="enhance",
            reason="You chose this gap earlier.",
            relevant=ind.id in self.role.indicators,
        )

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


def saved_actions(raw: Any) -> list[PlanAction]:
    """Saved actions that have the expected shape (others are skipped)."""
    out: list[PlanAction] = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("indicator_id"), str):
            continue
        out.append(
            PlanAction(
                indicator_id=item["indicator_id"],
                option=str(item.get("option", "")),
                action=str(item.get("action", "") or ""),
                first_step=str(item.get("first_step", "") or ""),
                by_when=str(item.get("by_when", "") or ""),
            )
        )
    return out[:PLAN_SIZE]


def role_plan(role_id: str, *, assessment_path: str | Path | None = None) -> widgets.Widget:
    """The plan exercise for a role, ready to display.

    A broken role file or an unknown role is shown as a message, never as a traceback.
    """
    return shown_or_explained(
        lambda: RolePlan(load_role(role_id), assessment_path=assessment_path), also=(ValueError,)
    )
