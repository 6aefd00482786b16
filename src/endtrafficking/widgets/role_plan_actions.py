"""One action of a role's plan, as controls: its gap, option, action, first step, by when.

The gap drop-down's labels fit on one line (code, area, rating); each gap's
whole question is shown under it and in the folded list above the actions.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from endtrafficking.framework import ENGAGEMENT_OPTIONS, Framework
from endtrafficking.role_plans import PLAN_SIZE, Candidate, PlanAction

TEXT_FIELDS = ("action", "first_step", "by_when")
#: Layouts are given as dicts: a Layout built at import time would open a comm.
_WIDE = {"width": "100%"}
_LABELS = {"description_width": "8em"}


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
