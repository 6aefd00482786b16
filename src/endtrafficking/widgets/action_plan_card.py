"""One card of the action plan: a gap, its engagement options, partners, goal, owner, date.

The card's controls are built here from the plan item; the exercise
(:mod:`endtrafficking.widgets.action_plan`) wires them to the plan and saves.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

import ipywidgets as widgets
import pandas as pd

from endtrafficking.action_plan import PlanItem, parse_target_date
from endtrafficking.framework import ENGAGEMENT_OPTIONS, Framework

#: Layouts and styles are given as dicts: a Layout built at import time would open a comm.
LABEL_STYLE = {"description_width": "initial"}
WIDE = {"width": "95%"}
AUTO = {"width": "auto"}


@dataclass
class ItemControls:
    """The controls of one action (one gap) in the plan."""

    options: dict[str, widgets.Checkbox]
    partners: widgets.Text
    partner_pick: widgets.Dropdown
    add_partner: widgets.Button
    goal: widgets.Textarea
    first_step: widgets.Textarea
    owner: widgets.Text
    target_date: widgets.DatePicker
    warnings: widgets.HTML
    box: widgets.VBox


def as_date(text: str) -> date | None:
    """A saved target date as a date, or None if empty or unreadable."""
    if not text:
        return None
    try:
        return parse_target_date(text)
    except ValueError:
        return None


def gap_heading(item: PlanItem, framework: Framework, ranked: pd.DataFrame) -> widgets.HTML:
    """The card's heading: the gap's id, area, rank, rating, question and suggestion."""
    ind = framework.indicator(item.indicator_id)
    area = framework.area(ind.area_id)
    row = ranked[ranked["indicator_id"] == item.indicator_id]
    if row.empty:
        where = "no longer a gap in your assessment"
        reason = ""
    else:
        r = row.iloc[0]
        where = f"gap {r['rank']}, rated {r['rating_label']}, severity {r['severity']:.0f}/100"
        reason = f" Suggested: {r['option_label']} ({r['reason']})"
    return widgets.HTML(
        f"<p><strong>{html.escape(item.indicator_id)} ({html.escape(area.name)})</strong>, "
        f"{html.escape(where)}.<br>{html.escape(ind.question)}"
        f"<br><em>{html.escape(reason)}</em></p>"
    )


def item_controls(
    item: PlanItem, framework: Framework, heading: widgets.HTML, choices: list[str]
) -> ItemControls:
    """The card's controls, filled from ``item``; ``choices`` are the suggested partners."""
    options = {
        opt: widgets.Checkbox(
            value=opt in item.options,
            description=framework.options.get(opt, opt)
            + (" (suggested)" if opt == item.suggested_option else ""),
            indent=False,
            layout=AUTO,
        )
        for opt in ENGAGEMENT_OPTIONS
    }
    partners = widgets.Text(
        value="; ".join(item.partners),
        description="Partners (separate with ;)",
        placeholder="organizations you will work with",
        style=LABEL_STYLE,
        layout=WIDE,
    )
    pick = widgets.Dropdown(
        options=choices,
        value=choices[0] if choices else None,
        description="Suggested partner",
        style=LABEL_STYLE,
        disabled=not choices,
    )
    add = widgets.Button(description="Add partner", icon="plus", disabled=not choices, layout=AUTO)
    goal = widgets.Textarea(
        value=item.goal, description="Goal", style=LABEL_STYLE, layout=WIDE, rows=2
    )
    first = widgets.Textarea(
        value=item.first_step, description="First step", style=LABEL_STYLE, layout=WIDE, rows=2
    )
    owner = widgets.Text(
        value=item.owner,
        description="Owner (a role, not a person's name)",
        placeholder="for example: coalition coordinator",
        style=LABEL_STYLE,
        layout=WIDE,
    )
    picker = widgets.DatePicker(
        value=as_date(item.target_date), description="Target date", style=LABEL_STYLE
    )
    warnings = widgets.HTML("")
    box = widgets.VBox(
        [
            heading,
            widgets.Label("Engagement options (choose one or more):"),
            widgets.HBox(list(options.values())),
            partners,
            widgets.HBox([pick, add]),
            goal,
            first,
            owner,
            picker,
            warnings,
        ],
        layout=widgets.Layout(border="1px solid #999", padding="0.4em", margin="0.3em 0"),
    )
    return ItemControls(options, partners, pick, add, goal, first, owner, picker, warnings, box)
