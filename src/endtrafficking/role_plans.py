"""A personal plan of three actions for one role, built from a community's gaps.

This is the logic behind the shared plan widget of the engage lessons
(:mod:`endtrafficking.widgets.role_plan`); it runs without a browser.

* :func:`role_gaps` ranks the community's gaps (``scoring.gaps``) for a role:
  the role's own indicators first, by severity; then the other gaps; and, when
  a community is strong everywhere that matters to the role, the role's
  indicators rated at the top of the scale ("keep it strong").
* :func:`initial_actions` turns the top three into actions, each with the
  suggested engagement option and a concrete action pre-filled from the role's
  examples (:func:`suggest_action`).
* :func:`plan_markdown` and :func:`plan_html` render the plan (learner text is
  escaped), and :func:`export_plan` writes it atomically to the working folder.
"""

from __future__ import annotations

import html
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from endtrafficking.assessment import Assessment
from endtrafficking.framework import ENGAGEMENT_OPTIONS, Framework
from endtrafficking.privacy import privacy_warnings
from endtrafficking.roles import Role
from endtrafficking.safe_save import atomic_write
from endtrafficking.scoring import gaps
from endtrafficking.workspace import work_dir

PLAN_SIZE = 3
FORMATS = {"md": "Markdown", "html": "HTML"}
KEEP_STRONG = "Strong already: keep it strong."
HOTLINE_LINE = (
    "If you are worried about someone: in the United States call the National Human "
    "Trafficking Hotline at 1-888-373-7888 or text 233733 (24 hours a day, 7 days a week) "
    "[F3, F5]. If someone is in immediate danger, call emergency services."
)
#: Pre-filled when none of the role's examples addresses the gap (edit it to make it concrete).
GENERAL_ACTIONS = {
    "enhance": "Strengthen something you or your organization already do so that it also covers this gap.",
    "come_alongside": "Offer your time, skills or space to an organization already working on this gap.",
    "fill_gap": "With partners, start something small for this gap, which nobody covers yet.",
}
PRIVACY_LINE = (
    "This plan names roles and organizations only. It holds nothing that could identify "
    "a person who may be affected by trafficking."
)


@dataclass(frozen=True)
class Candidate:
    """A gap (or strength) a plan action can address."""

    indicator_id: str
    area: str
    question: str
    rating: int | None
    rating_label: str
    severity: float
    suggested_option: str
    reason: str
    organizations: str = ""
    relevant: bool = True


@dataclass
class PlanAction:
    """One action of the plan: the gap, the option, what to do, a first step, by when."""

    indicator_id: str
    option: str
    action: str = ""
    first_step: str = ""
    by_when: str = ""

    def texts(self) -> dict[str, str]:
        """The learner's free-text fields, by name."""
        return {"action": self.action, "first_step": self.first_step, "by_when": self.by_when}


@dataclass
class Plan:
    """A role's plan of actions, with what it was built from."""

    role: Role
    framework: Framework
    actions: list[PlanAction]
    basis: str
    candidates: dict[str, Candidate] = field(default_factory=dict)
    created: str = field(default_factory=lambda: date.today().isoformat())


# --------------------------------------------------------------------------- gaps for a role
def _candidate(row: dict[str, Any], relevant: bool) -> Candidate:
    rating = row["rating"]
    return Candidate(
        indicator_id=str(row["indicator_id"]),
        area=str(row["area"]),
        question=str(row["question"]),
        rating=None if pd.isna(rating) else int(rating),
        rating_label=str(row["rating_label"]),
        severity=float(row["severity"]),
        suggested_option=str(row["suggested_option"]),
        reason=str(row["reason"]),
        organizations=str(row.get("organizations", "") or ""),
        relevant=relevant,
    )


def role_gaps(assessment: Assessment, role: Role, *, quick: bool = False) -> list[Candidate]:
    """The community's gaps ranked for ``role``.

    From a full assessment: the role's own indicators first, by severity (ties
    keep the role's order), then every other gap by severity. From ``quick``
    ratings given inside a lesson (only the role's indicators are rated, so
    area coverage means little): the role's indicators only, lowest rating
    first and "not sure yet" last. Either way, if fewer than :data:`PLAN_SIZE`
    gaps remain, the role's indicators already rated at the top of the scale
    are added with the option "enhance".
    """
    frame = gaps(assessment)
    records = frame.to_dict("records") if len(frame) else []
    position = {ind: i for i, ind in enumerate(role.indicators)}
    mine = [r for r in records if r["indicator_id"] in position]
    if quick:
        mine.sort(
            key=lambda r: (
                pd.isna(r["rating"]),
                0 if pd.isna(r["rating"]) else int(r["rating"]),
                position[r["indicator_id"]],
            )
        )
    else:
        mine.sort(key=lambda r: (-float(r["severity"]), position[r["indicator_id"]]))
    out = [_candidate(r, True) for r in mine]
    if not quick:
        out += [_candidate(r, False) for r in records if r["indicator_id"] not in position]
    if len(out) < PLAN_SIZE:
        fw = assessment.framework
        listed = {c.indicator_id for c in out}
        for ind_id in role.indicators:
            if ind_id in listed:
                continue
            ind = fw.indicator(ind_id)
            rating = assessment.responses[ind_id].rating
            out.append(
                Candidate(
                    indicator_id=ind_id,
                    area=fw.area(ind.area_id).name,
                    question=ind.question,
                    rating=rating,
                    rating_label=fw.scale_label(rating),
                    severity=0.0,
                    suggested_option="enhance",
                    reason=KEEP_STRONG,
                    organizations="; ".join(assessment.responses[ind_id].organizations),
                    relevant=True,
                )
            )
    return out


def inline_assessment(
    role: Role, ratings: dict[str, int | None], framework: Framework, community: str = ""
) -> Assessment:
    """An assessment holding only the quick ratings a learner gave inside a lesson.

    Raises:
        ValueError: a rating is not on the scale, or an id is not one of the role's.
    """
    assessment = Assessment(framework=framework, community=community)
    for ind_id, rating in ratings.items():
        if ind_id not in role.indicators:
            raise ValueError(f"{ind_id} is not one of the indicators of the role {role.name}")
        assessment.set_response(ind_id, rating=rating)
    return assessment


# --------------------------------------------------------------------------- actions
def suggest_action(
    role: Role, indicator_id: str, option: str, used: set[str] | frozenset[str] = frozenset()
) -> str:
    """A concrete action for a gap and option, taken from the role's examples.

    Prefers an example of ``option`` tagged with the indicator and not in
    ``used``, then any example tagged with it; for a gap no example addresses
    (one outside the role), a general action for the option.
    """
    examples = role.examples(option) if option in ENGAGEMENT_OPTIONS else ()
    tagged = [e.text for e in examples if indicator_id in e.indicators]
    for pool in ([t for t in tagged if t not in used], tagged):
        if pool:
            return pool[0]
    return GENERAL_ACTIONS.get(option, "")


def initial_actions(
    role: Role, candidates: list[Candidate], size: int = PLAN_SIZE
) -> list[PlanAction]:
    """The first ``size`` candidates as actions, each pre-filled with a different example."""
    actions: list[PlanAction] = []
    used: set[str] = set()
    for cand in candidates[:size]:
        text = suggest_action(role, cand.indicator_id, cand.suggested_option, used)
        used.add(text)
        actions.append(PlanAction(cand.indicator_id, cand.suggested_option, text))
    return actions


def plan_warnings(actions: list[PlanAction]) -> list[str]:
    """Privacy warnings for the learner's free text, naming the action and field."""
    names = {"action": "the action", "first_step": "the first step", "by_when": "'by when'"}
    out: list[str] = []
    for number, act in enumerate(actions, start=1):
        for key, text in act.texts().items():
            for warning in privacy_warnings(text):
                out.append(f"Action {number}, {names[key]}: {warning}")
    return out


def actions_state(actions: list[PlanAction]) -> list[dict[str, str]]:
    """Actions as plain dicts (for saving)."""
    return [asdict(a) for a in actions]


# --------------------------------------------------------------------------- rendering
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")


def _md(text: str) -> str:
    """Learner text made safe for Markdown: one line, special characters escaped."""
    flat = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", flat)


def _gap_text(plan: Plan, act: PlanAction) -> tuple[str, str]:
    cand = plan.candidates.get(act.indicator_id)
    if cand is not None:
        return f"{cand.indicator_id} ({cand.area}, {cand.rating_label})", cand.question
    try:
        ind = plan.framework.indicator(act.indicator_id)
    except KeyError:
        return act.indicator_id, ""
    return f"{ind.id} ({plan.framework.area(ind.area_id).name})", ind.question


def _option_label(plan: Plan, option: str) -> str:
    return plan.framework.options.get(option, option)


def plan_markdown(plan: Plan) -> str:
    """The plan as Markdown (learner text escaped)."""
    lines = [
        f"# My plan of action: {_md(plan.role.name)}",
        "",
        f"Built on {plan.created} from {_md(plan.basis)}.",
        "",
    ]
    for number, act in enumerate(plan.actions, start=1):
        gap, question = _gap_text(plan, act)
        lines += [
            f"## Action {number}",
            "",
            f"- **Gap:** {_md(gap)}: {_md(question)}",
            f"- **Option:** {_md(_option_label(plan, act.option))}",
            f"- **Action:** {_md(act.action) or '(not written yet)'}",
            f"- **First step:** {_md(act.first_step) or '(not written yet)'}",
            f"- **By when:** {_md(act.by_when) or '(not set yet)'}",
            "",
        ]
    lines += ["---", "", _md(PRIVACY_LINE), "", _md(HOTLINE_LINE), ""]
    return "\n".join(lines)


def plan_html(plan: Plan) -> str:
    """The plan as a standalone HTML page (every piece of text escaped)."""

    def esc(text: str) -> str:
        return html.escape(str(text), quote=True)

    title = f"My plan of action: {plan.role.name}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title>",
        "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.5}"
        "dt{font-weight:bold}dd{margin:0 0 .5em 1em}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        f"<p>Built on {esc(plan.created)} from {esc(plan.basis)}.</p>",
    ]
    for number, act in enumerate(plan.actions, start=1):
        gap, question = _gap_text(plan, act)
        parts += [
            f"<h2>Action {number}</h2><dl>",
            f"<dt>Gap</dt><dd>{esc(gap)}: {esc(question)}</dd>",
            f"<dt>Option</dt><dd>{esc(_option_label(plan, act.option))}</dd>",
            f"<dt>Action</dt><dd>{esc(act.action) or '(not written yet)'}</dd>",
            f"<dt>First step</dt><dd>{esc(act.first_step) or '(not written yet)'}</dd>",
            f"<dt>By when</dt><dd>{esc(act.by_when) or '(not set yet)'}</dd>",
            "</dl>",
        ]
    parts += [
        f"<hr><p>{esc(PRIVACY_LINE)}</p>",
        f"<p>{esc(HOTLINE_LINE)}</p>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def export_name(role_id: str, fmt: str) -> str:
    """The exported file's name, e.g. ``role_plan_educators.md``."""
    return f"role_plan_{role_id}.{fmt}"


def export_plan(plan: Plan, fmt: str, folder: str | Path | None = None) -> Path:
    """Write the plan as ``md`` or ``html`` to ``folder`` (the working folder by default).

    The write is atomic and keeps the previous export as ``.bak``.

    Raises:
        ValueError: ``fmt`` is not ``md`` or ``html``.
    """
    name, data = plan_file(plan, fmt)
    target = Path(folder) if folder is not None else work_dir()
    return atomic_write(target / name, data)


def plan_file(plan: Plan, fmt: str) -> tuple[str, bytes]:
    """The plan as a ``md`` or ``html`` file: its name and bytes.

    Raises:
        ValueError: ``fmt`` is not ``md`` or ``html``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"the export format {fmt!r} is not one of: {', '.join(FORMATS)}")
    text = plan_markdown(plan) if fmt == "md" else plan_html(plan)
    return export_name(plan.role.id, fmt), text.encode("utf-8")
