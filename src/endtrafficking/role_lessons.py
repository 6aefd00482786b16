"""What an engage lesson shows from the role data, one notebook line per section.

A role lesson's notebook holds the framing text; the role-specific lists
(what people in the role may see, the indicators, trainings, what not to do,
engagement examples) live once in ``engage_lessons/roles.yaml`` and are shown
with, for example::

    section("educators", "may_see")

Every statement keeps its source keys, and :func:`sources` lists every source
the lesson cites: in its text, its knowledge checks and its role data.
"""

from __future__ import annotations

import html
from typing import Any

from IPython.display import HTML, display

from endtrafficking.course_meta import lesson_header, lesson_source_keys, sources_html
from endtrafficking.errors import CourseInputError
from endtrafficking.framework import ENGAGEMENT_OPTIONS, Framework, load_framework
from endtrafficking.roles import Cited, Role, RoleCatalogue, load_roles
from endtrafficking.widgets.messages import error_text, notice_html

PARTS = ("may_see", "indicators", "trainings", "do_not", "engagement")


def _cite(keys: tuple[str, ...]) -> str:
    return f" [{', '.join(keys)}]" if keys else ""


def _cited_list(items: tuple[Cited, ...]) -> str:
    rows = "".join(f"<li>{html.escape(i.text)}{_cite(i.sources)}</li>" for i in items)
    return f"<ul>{rows}</ul>"


def _indicators(role: Role, framework: Framework) -> str:
    rows = []
    for ind_id in role.indicators:
        ind = framework.indicator(ind_id)
        area = framework.area(ind.area_id).name
        rows.append(
            f"<tr><td>{html.escape(ind_id)}</td><td>{html.escape(area)}</td>"
            f"<td>{html.escape(ind.question)}</td></tr>"
        )
    return (
        '<table class="et-role-indicators"><caption>Indicators that matter most in your role'
        "</caption><thead><tr><th>Indicator</th><th>Focus area</th><th>Question</th></tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
        "<p>The plan exercise below ranks your community's gaps on these first.</p>"
    )


def _trainings(role: Role) -> str:
    if not role.trainings:
        return (
            "<p>The course's sources list no training programme for this role; the general "
            "guidance in this lesson applies.</p>"
        )
    rows = "".join(
        f"<li><strong>{html.escape(t.name)}</strong>{_cite(t.sources)}. "
        f"{html.escape(t.description)}</li>"
        for t in role.trainings
    )
    return f"<ul>{rows}</ul>"


def _do_not(role: Role, catalogue: RoleCatalogue) -> str:
    return (
        "<p><strong>For everyone</strong></p>"
        + _cited_list(catalogue.safety)
        + f"<p><strong>For {html.escape(role.name.lower())}</strong></p>"
        + _cited_list(role.do_not)
    )


def _engagement(role: Role, framework: Framework) -> str:
    parts = []
    for option in ENGAGEMENT_OPTIONS:
        rows = "".join(
            f"<li>{html.escape(e.text)}{_cite(e.sources)} "
            f"<small>(addresses {html.escape(', '.join(e.indicators))})</small></li>"
            for e in role.examples(option)
        )
        parts.append(
            f"<p><strong>{html.escape(framework.options.get(option, option))}</strong></p>"
            f"<ul>{rows}</ul>"
        )
    return "".join(parts)


def section_html(
    role_id: str,
    part: str,
    *,
    catalogue: RoleCatalogue | None = None,
    framework: Framework | None = None,
) -> str:
    """The HTML of one part of a role's lesson (one of :data:`PARTS`).

    Raises:
        RoleDataError: the role file is broken or the role is unknown.
        ValueError: ``part`` is not one of :data:`PARTS`.
    """
    if part not in PARTS:
        raise ValueError(f"{part!r} is not a part of a role lesson; use one of {', '.join(PARTS)}")
    catalogue = catalogue or load_roles()
    framework = framework or load_framework()
    role = catalogue.role(role_id)
    if part == "may_see":
        body = _cited_list(role.may_see)
    elif part == "indicators":
        body = _indicators(role, framework)
    elif part == "trainings":
        body = _trainings(role)
    elif part == "do_not":
        body = _do_not(role, catalogue)
    else:
        body = _engagement(role, framework)
    return f'<div class="et-role-{part}">{body}</div>'


def section(role_id: str, part: str) -> HTML:
    """Display one part of a role's lesson; a problem is shown as a message."""
    try:
        return HTML(section_html(role_id, part))
    except (CourseInputError, ValueError) as exc:
        return HTML(notice_html("error", error_text(exc)))


def header(role_id: str) -> HTML:
    """The lesson header (minutes, questions, objectives from course.yaml) for a role."""
    try:
        return lesson_header(load_roles().role(role_id).lesson_id)
    except CourseInputError as exc:
        return HTML(notice_html("error", error_text(exc)))


def source_keys(role_id: str) -> list[str]:
    """Every source key a role's lesson cites: its text, knowledge checks and role data."""
    catalogue = load_roles()
    role = catalogue.role(role_id)
    keys = lesson_source_keys(role.lesson_id)
    for key in role.source_keys() + catalogue.safety_keys():
        if key not in keys:
            keys.append(key)
    return keys


def sources(role_id: str) -> Any:
    """The end of a role lesson: its sources, then what is left and the way on."""
    from endtrafficking.widgets.course_page import page_footer

    try:
        display(HTML(sources_html(source_keys(role_id))))
        return page_footer(load_roles().role(role_id).lesson_id)
    except CourseInputError as exc:
        return HTML(notice_html("error", error_text(exc)))
