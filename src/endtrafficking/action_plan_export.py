"""The action plan as files to share: Markdown, HTML (escaped) and CSV.

Each export lists, per priority, the gap, the options chosen, partners, goal,
first step, owner (a role) and target date. Files are written atomically to the
learner's working folder.
"""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

from endtrafficking.framework import Framework
from endtrafficking.safe_save import atomic_write
from endtrafficking.workspace import work_dir

if TYPE_CHECKING:  # the plan's model imports this module to keep its old import paths
    from endtrafficking.action_plan import ActionPlan, PlanItem


#: File names of the exports, in the working folder.
EXPORT_NAMES = {"md": "action_plan.md", "html": "action_plan.html", "csv": "action_plan.csv"}


CSV_COLUMNS = (
    "indicator_id",
    "area",
    "question",
    "options",
    "partners",
    "goal",
    "first_step",
    "owner",
    "target_date",
)


def _title(plan: ActionPlan) -> str:
    name = plan.community.strip() or "our community"
    return f"Action plan: {name}" + (" (a fictional example community)" if plan.fictional else "")


def _option_labels(item: PlanItem, framework: Framework) -> str:
    return "; ".join(framework.options.get(o, o) for o in item.options)


def plan_rows(plan: ActionPlan, framework: Framework) -> list[dict[str, str]]:
    """One row of plain text per action, with the columns of :data:`CSV_COLUMNS`."""
    rows = []
    for item in plan.items:
        ind = framework.indicator(item.indicator_id)
        rows.append(
            {
                "indicator_id": item.indicator_id,
                "area": framework.area(ind.area_id).name,
                "question": ind.question,
                "options": _option_labels(item, framework),
                "partners": "; ".join(item.partners),
                "goal": item.goal.strip(),
                "first_step": item.first_step.strip(),
                "owner": item.owner.strip(),
                "target_date": item.target_date.strip(),
            }
        )
    return rows


def plan_to_csv(plan: ActionPlan, framework: Framework) -> str:
    """The plan as CSV text: one row per action."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(CSV_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(plan_rows(plan, framework))
    return buffer.getvalue()


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")


def md_escape(text: str) -> str:
    """Text safe to place in Markdown: markup characters escaped, one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join((text or "").split()))


def plan_to_markdown(plan: ActionPlan, framework: Framework) -> str:
    """The plan as a Markdown document (the learner's text is escaped)."""
    lines = [f"# {md_escape(_title(plan))}", ""]
    if plan.fictional:
        lines += ["*This plan is for a fictional example community, made up for practice.*", ""]
    lines += [
        "Owners are roles, not people's names. No information about any person who has "
        "experienced trafficking is recorded here.",
        "",
    ]
    for number, row in enumerate(plan_rows(plan, framework), start=1):
        lines += [
            f"## {number}. {md_escape(row['indicator_id'])} ({md_escape(row['area'])})",
            "",
            f"*Gap:* {md_escape(row['question'])}",
            "",
            f"- **Engagement option:** {md_escape(row['options']) or '(not chosen)'}",
            f"- **Partners:** {md_escape(row['partners']) or '(none named)'}",
            f"- **Goal:** {md_escape(row['goal']) or '(to write)'}",
            f"- **First step:** {md_escape(row['first_step']) or '(to write)'}",
            f"- **Owner (role):** {md_escape(row['owner']) or '(to name)'}",
            f"- **Target date:** {md_escape(row['target_date']) or '(to set)'}",
            "",
        ]
    return "\n".join(lines)


def plan_to_html(plan: ActionPlan, framework: Framework) -> str:
    """The plan as a standalone HTML page (every piece of text escaped)."""
    esc = html.escape
    headers = {
        "indicator_id": "Indicator",
        "area": "Focus area",
        "question": "Gap",
        "options": "Engagement option",
        "partners": "Partners",
        "goal": "Goal",
        "first_step": "First step",
        "owner": "Owner (role)",
        "target_date": "Target date",
    }
    head = "".join(f'<th scope="col">{esc(headers[c])}</th>' for c in CSV_COLUMNS)
    body = "".join(
        "<tr>" + "".join(f"<td>{esc(row[c])}</td>" for c in CSV_COLUMNS) + "</tr>"
        for row in plan_rows(plan, framework)
    )
    note = (
        "<p><strong>Fictional example:</strong> this plan is for a community made up "
        "for practice.</p>"
        if plan.fictional
        else ""
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{esc(_title(plan))}</title>"
        "<style>body{font-family:sans-serif;max-width:70em;margin:2em auto;}"
        "table{border-collapse:collapse;}th,td{border:1px solid #555;padding:.3em;"
        "vertical-align:top;text-align:left;}</style></head><body>"
        f"<h1>{esc(_title(plan))}</h1>{note}"
        "<p>Owners are roles, not people's names. No information about any person who has "
        "experienced trafficking is recorded here.</p>"
        f"<table><caption>Actions, highest-priority gap first</caption><thead><tr>{head}"
        f"</tr></thead><tbody>{body}</tbody></table></body></html>\n"
    )


def export_plan(
    plan: ActionPlan,
    framework: Framework,
    kind: str,
    folder: str | Path | None = None,
) -> Path:
    """Write the plan as ``kind`` (``md``, ``html`` or ``csv``) to the working folder, atomically.

    Raises:
        ValueError: for an unknown kind.
    """
    folder = Path(folder) if folder is not None else work_dir()
    name, data = plan_file(plan, framework, kind)
    return atomic_write(folder / name, data)


def plan_file(plan: ActionPlan, framework: Framework, kind: str) -> tuple[str, bytes]:
    """The plan as a ``md``, ``html`` or ``csv`` file: its name and bytes.

    Raises:
        ValueError: for an unknown kind.
    """
    if kind == "md":
        data = plan_to_markdown(plan, framework).encode("utf-8")
    elif kind == "html":
        data = plan_to_html(plan, framework).encode("utf-8")
    elif kind == "csv":
        data = plan_to_csv(plan, framework).encode("utf-8-sig")
    else:
        raise ValueError(f"unknown export kind {kind!r}; use md, html or csv")
    return EXPORT_NAMES[kind], data
