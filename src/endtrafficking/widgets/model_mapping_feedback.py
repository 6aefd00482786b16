"""Module 01's mapping, judged and summed up: feedback per part, and the coverage view.

Feedback compares a learner's areas for each part with the course's reading and
explains every difference (a reasonable alternative is never a flat "wrong").
The coverage view says, as a table, a chart and sentences, which areas each
model covers and which none covers.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import pandas as pd

from endtrafficking.framework import Framework
from endtrafficking.org_models import (
    Mapping,
    Models,
    OrgModel,
    Part,
    clean_mapping,
    framework_order,
)
from endtrafficking.widgets.messages import notice_html
from endtrafficking.widgets.svg_charts import grid_svg


@dataclass(frozen=True)
class PartFeedback:
    """How a learner's mapping of one part compares with the course's reading."""

    model: OrgModel
    part: Part
    status: str  # not_mapped, matches, reasonable, partly, differs
    lines: tuple[str, ...]


_STATUS_TEXT = {
    "not_mapped": "Not mapped yet.",
    "matches": "Matches the course's reading.",
    "reasonable": "A reasonable reading that differs from the course's.",
    "partly": "Part of the course's reading.",
    "differs": "Differs from the course's reading: see why.",
}


def part_feedback(
    model: OrgModel, part: Part, selected: list[str], framework: Framework
) -> PartFeedback:
    """Compare a learner's areas for one part with the course's reading, explaining each difference."""
    name = {a.id: a.name for a in framework.areas}
    chosen = set(selected)
    if not chosen:
        return PartFeedback(model, part, "not_mapped", ("Tick the focus areas this part serves.",))
    reference = set(part.reference)
    missing = [a for a in part.reference if a not in chosen]
    alternative = [a for a in framework_order(framework) if a in chosen and a in part.alternatives]
    other = [
        a
        for a in framework_order(framework)
        if a in chosen and a not in reference and a not in part.alternatives
    ]
    lines: list[str] = []
    ref_names = ", ".join(name[a] for a in part.reference)
    if not missing and not other and not alternative:
        status = "matches"
        lines.append(f"The course reads this part as {ref_names}. {part.explanation}")
    else:
        if missing:
            lines.append(
                f"The course also reads this part as {', '.join(name[a] for a in missing)}. "
                f"{part.explanation}"
            )
        elif chosen & reference:
            lines.append(f"You included the course's reading ({ref_names}).")
        for area in alternative:
            lines.append(f"You also chose {name[area]}. {part.alternatives[area]}")
        for area in other:
            lines.append(
                f"You chose {name[area]}. The course does not read this part as mainly about "
                f"{name[area]}. Look again at what the part does; if you still read it that way, "
                "note your reasons in the reflection below."
            )
        if other:
            status = "differs"
        elif missing and not (chosen & reference):
            status = "reasonable" if alternative else "differs"
        elif missing:
            status = "partly"
        else:
            status = "reasonable"
    return PartFeedback(model, part, status, tuple(lines))


def mapping_feedback(mapping: Mapping, models: Models, framework: Framework) -> list[PartFeedback]:
    """Feedback for every part of every model."""
    clean = clean_mapping(mapping, models, framework)
    return [
        part_feedback(model, part, clean[model.id][part.id], framework)
        for model in models.models
        for part in model.parts
    ]


def feedback_html(feedback: list[PartFeedback]) -> str:
    """The feedback as HTML: one entry per part, its status in words, then the reasons."""
    matched = sum(f.status in ("matches", "reasonable") for f in feedback)
    head = notice_html(
        "info",
        f"{matched} of {len(feedback)} parts match the course's reading or a reasonable "
        "alternative. The course's reading is an interpretation, not the organizations' own "
        "classification.",
    )
    blocks = []
    for model_id in dict.fromkeys(f.model.id for f in feedback):
        items = [f for f in feedback if f.model.id == model_id]
        rows = "".join(
            f"<li><strong>{html.escape(f.part.text)}</strong>: "
            f"<em>{_STATUS_TEXT[f.status]}</em> "
            + " ".join(html.escape(line) for line in f.lines)
            + "</li>"
            for f in items
        )
        blocks.append(f"<p><strong>{html.escape(items[0].model.name)}</strong></p><ul>{rows}</ul>")
    return head + "".join(blocks)


def coverage_table(mapping: Mapping, models: Models, framework: Framework) -> pd.DataFrame:
    """Which areas each model covers under ``mapping``.

    Returns a frame indexed by ``area_id`` (framework order) with columns
    ``area``, one boolean column per model name, ``models`` (how many models
    cover the area) and ``covered_by`` (their names, ``;``-separated, or
    "none").
    """
    clean = clean_mapping(mapping, models, framework)
    rows = []
    for area in framework.areas:
        row: dict[str, Any] = {"area_id": area.id, "area": area.name}
        names = []
        for model in models.models:
            covers = any(area.id in areas for areas in clean[model.id].values())
            row[model.name] = covers
            if covers:
                names.append(model.name)
        row["models"] = len(names)
        row["covered_by"] = "; ".join(names) if names else "none"
        rows.append(row)
    return pd.DataFrame(rows).set_index("area_id")


def coverage_text(table: pd.DataFrame, models: Models) -> str:
    """The coverage view in words: what each model covers, and which areas none covers."""
    sentences = []
    for model in models.models:
        covered = table.loc[table[model.name], "area"].tolist()
        sentences.append(
            f"{model.name} covers {', '.join(covered)}."
            if covered
            else f"{model.name}: nothing mapped yet."
        )
    none = table.loc[table["models"] == 0, "area"].tolist()
    sentences.append(
        f"No model covers: {', '.join(none)}."
        if none
        else "Every focus area is covered by at least one model."
    )
    return " ".join(sentences)


def coverage_chart(table: pd.DataFrame, models: Models, label: str) -> str:
    """A grid of focus areas (rows) by models (columns) as inline SVG: "covers" in words.

    Areas that no model covers are hatched and say so, so nothing depends on colour.
    """
    names = [m.name for m in models.models]
    cells = [[bool(row[name]) for name in names] for _id, row in table.iterrows()]
    return grid_svg(table["area"].tolist(), names, cells, label)


def coverage_html(table: pd.DataFrame, models: Models) -> str:
    """Chart (with alt text), table and sentence for the coverage view."""
    text = coverage_text(table, models)
    shown = pd.DataFrame({"Focus area": table["area"]})
    for model in models.models:
        shown[model.name] = ["covers" if v else "" for v in table[model.name]]
    shown["Covered by"] = table["covered_by"]
    return (
        "<p class='et-chart-title'><strong>Which focus areas each model covers (your mapping)"
        f'</strong></p><div class="et-chart-box">{coverage_chart(table, models, text)}</div>'
        f"<p>{html.escape(text)}</p>"
        + shown.to_html(index=False, escape=True, border=0, classes="et-table")
    )
