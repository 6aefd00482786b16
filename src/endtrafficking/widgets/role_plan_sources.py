"""Where a role plan's gaps come from: the learner's saved assessment, or quick ratings.

If module 03's assessment can be read (or, read-only, its previous version) and
has ratings, the plan starts from it; otherwise the lesson asks for a quick
rating of the role's indicators. Each way comes with a sentence that says so.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from endtrafficking.assessment import Assessment
from endtrafficking.errors import CourseInputError
from endtrafficking.framework import Framework
from endtrafficking.role_plans import Candidate
from endtrafficking.roles import Role
from endtrafficking.safe_save import backup_path
from endtrafficking.storage import load_assessment
from endtrafficking.widgets.messages import error_text

#: The quick rating's "Not sure yet".
NOT_SURE = ""


def load_plan_assessment(path: Path, framework: Framework) -> tuple[Assessment | None, str]:
    """The saved assessment to plan from (None: use quick ratings), and a note saying why."""
    if not path.exists():
        return None, (
            "No saved community assessment from module 03 was found, so rate how your "
            "community is doing on the points that matter most to your role."
        )
    try:
        assessment = load_assessment(path, framework)
    except CourseInputError as exc:
        return _previous_version(path, framework, exc)
    if assessment.rated_count == 0:
        return None, (
            "Your saved assessment has no ratings yet, so rate the points that matter most "
            "to your role here (or finish module 03 first)."
        )
    return assessment, ""


def _previous_version(
    path: Path, framework: Framework, exc: CourseInputError
) -> tuple[Assessment | None, str]:
    """The assessment's previous version, read-only: module 03 repairs the file itself."""
    try:
        assessment = load_assessment(backup_path(path), framework)
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


def describe_source(assessment: Assessment | None) -> str:
    """What the plan was built from, in words ("your community assessment of ...")."""
    if assessment is None:
        return "the quick ratings you gave in this lesson"
    name = assessment.community.strip()
    text = f"your community assessment of {name}" if name else "your community assessment"
    if assessment.fictional:
        text += " (a fictional example community)"
    return text


def saved_gap_candidate(indicator_id: str, framework: Framework, role: Role) -> Candidate | None:
    """A drop-down entry for a saved gap that is no longer among the current gaps."""
    try:
        ind = framework.indicator(indicator_id)
    except KeyError:
        return None
    return Candidate(
        indicator_id=ind.id,
        area=framework.area(ind.area_id).name,
        question=ind.question,
        rating=None,
        rating_label="from your saved plan",
        severity=0.0,
        suggested_option="enhance",
        reason="You chose this gap earlier.",
        relevant=ind.id in role.indicators,
    )


def quick_rating_controls(
    role: Role, framework: Framework, saved: Any
) -> tuple[dict[str, widgets.Dropdown], list[widgets.Widget]]:
    """A rating drop-down per role indicator (restored from ``saved``), and what to show."""
    saved = saved if isinstance(saved, dict) else {}
    levels = {lv.value for lv in framework.scale}
    options = [("Not sure yet", NOT_SURE)] + [
        (f"{level.value} {level.label}", str(level.value)) for level in framework.scale
    ]
    scale = " · ".join(
        f"{lv.value} {html.escape(lv.label)}: {html.escape(lv.description)}"
        for lv in framework.scale
    )
    items: list[widgets.Widget] = [
        widgets.HTML(
            "<p><strong>Quick rating.</strong> How is your community doing on each point? "
            f"{scale}</p>"
        )
    ]
    controls: dict[str, widgets.Dropdown] = {}
    for ind_id in role.indicators:
        ind = framework.indicator(ind_id)
        value = saved.get(ind_id)
        controls[ind_id] = widgets.Dropdown(
            options=options,
            value=str(value) if value in levels else NOT_SURE,
            description=ind_id,
            tooltip=ind.question,
            style={"description_width": "4em"},
        )
        items += [widgets.HTML(f"<em>{html.escape(ind.question)}</em>"), controls[ind_id]]
    return controls, items
