"""The controls of the assessment's sections: one card per indicator, a box per prompt.

A card holds the indicator's question, its rating (0-3 or "not rated yet"),
evidence, organizations involved, notes and a privacy note. Sections are built
when first shown (:class:`Controls`), since building all eight at once costs
about half a second in a kernel.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from endtrafficking.assessment import Response
from endtrafficking.framework import Area, Framework, Indicator, Prompt
from endtrafficking.inventory import InventoryEntry
from endtrafficking.widgets.assessment_results import scale_legend_html

#: The value of the rating control that means "not rated yet".
NOT_RATED = -1
#: Styles and layouts are given as dicts: a Layout built at import time would open a comm.
LABEL_STYLE = {"description_width": "initial"}
WIDE = {"width": "95%"}
AUTO = {"width": "auto"}


class Controls(dict):
    """Controls by indicator or prompt id; asking for one not built yet builds its section."""

    def __init__(self, build: Callable[[str], None]) -> None:
        super().__init__()
        self._build = build

    def __missing__(self, key: str) -> Any:
        self._build(key)
        if not dict.__contains__(self, key):
            raise KeyError(key)
        return dict.__getitem__(self, key)


@dataclass
class IndicatorCard:
    """One indicator's card and the controls in it."""

    rating: widgets.ToggleButtons
    evidence: widgets.Textarea
    organizations: widgets.Text
    notes: widgets.Textarea
    warning: widgets.HTML
    box: widgets.VBox


def rating_options(framework: Framework) -> list[tuple[str, int]]:
    """The rating buttons' labels and values: "Not rated yet", then the scale."""
    return [("Not rated yet", NOT_RATED)] + [
        (f"{lv.value} {lv.label}", lv.value) for lv in framework.scale
    ]


def area_intro(area: Area, framework: Framework, inventory: list[InventoryEntry]) -> widgets.HTML:
    """A focus area's heading, summary, the inventory's organizations serving it, the scale."""
    serving = [e.organization for e in inventory if area.id in e.focus_areas]
    hint = (
        "<p><em>In your resource inventory (Step 2), serving this area:</em> "
        f"{html.escape('; '.join(serving))}</p>"
        if serving
        else ""
    )
    return widgets.HTML(
        f"<h3>{html.escape(area.name)}</h3><p>{html.escape(area.summary)}</p>{hint}"
        + scale_legend_html(framework)
    )


def indicator_card(ind: Indicator, resp: Response, framework: Framework) -> IndicatorCard:
    """The card of one indicator, filled from the learner's response."""
    rating = widgets.ToggleButtons(
        options=rating_options(framework),
        value=NOT_RATED if resp.rating is None else resp.rating,
        description=f"{ind.id} rating",
        tooltips=["Not rated yet"]
        + [f"{lv.value} {lv.label}: {lv.description}" for lv in framework.scale],
        style={**LABEL_STYLE, "button_width": "auto"},
    )
    evidence = widgets.Textarea(
        value=resp.evidence,
        description=f"{ind.id} evidence",
        placeholder="What do data and frontline experience tell you? Aggregate "
        "facts only; nothing about any individual.",
        style=LABEL_STYLE,
        layout=WIDE,
    )
    orgs = widgets.Text(
        value="; ".join(resp.organizations),
        description=f"{ind.id} organizations involved (separate with ;)",
        placeholder="organization names only, for example: County Health Department; Youth Shelter",
        style=LABEL_STYLE,
        layout=WIDE,
    )
    notes = widgets.Textarea(
        value=resp.notes, description=f"{ind.id} notes", style=LABEL_STYLE, layout=WIDE, rows=2
    )
    warning = widgets.HTML("")
    question = widgets.HTML(
        f"<p><strong>{html.escape(ind.id)}.</strong> {html.escape(ind.question)}</p>"
    )
    box = widgets.VBox([question, rating, evidence, orgs, notes, warning]).add_class("et-card")
    return IndicatorCard(rating, evidence, orgs, notes, warning, box)


def context_box(prompt: Prompt, value: str) -> widgets.Textarea:
    """The text box of one not-rated prompt (local context, safeguards)."""
    return widgets.Textarea(
        value=value,
        description=f"{prompt.id}: {prompt.prompt}",
        style=LABEL_STYLE,
        layout=WIDE,
        rows=3,
    )
