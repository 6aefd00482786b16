"""The strategic action plan: for each priority gap, how the community will act.

Step four of the course. The plan starts from the ranked gaps of the
community assessment (:func:`endtrafficking.scoring.gaps`). For each gap the
team chooses one or more of the three engagement options (enhance, come
alongside, fill a gap), names partners, and writes a goal, a first step, an
owner and a target date. The owner is a **role** ("coalition coordinator"),
never a person's name: the plan is shared beyond the team.

:func:`check_plan` says, in plain words, whether the plan covers the
highest-priority gaps and which focus areas it leaves out. The plan exports as
Markdown, HTML (escaped) and CSV, atomically, to the learner's working folder.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from endtrafficking.action_plan_export import (
    CSV_COLUMNS,
    EXPORT_NAMES,
    export_plan,
    md_escape,
    plan_file,
    plan_rows,
    plan_to_csv,
    plan_to_html,
    plan_to_markdown,
)
from endtrafficking.assessment import Assessment, split_organizations
from endtrafficking.errors import CourseInputError
from endtrafficking.framework import ENGAGEMENT_OPTIONS, Framework
from endtrafficking.privacy import privacy_warnings
from endtrafficking.scoring import gaps

#: Kept importable from here: the widgets, the grader and the demonstrations use these.
__all__ = [
    "CSV_COLUMNS",
    "EXPORT_NAMES",
    "PLAN_KIND",
    "PRIORITY_GAPS",
    "TOP_GAPS",
    "ActionPlan",
    "PlanItem",
    "check_plan",
    "export_plan",
    "item_warnings",
    "looks_like_personal_name",
    "md_escape",
    "needs_action_below",
    "owner_warnings",
    "parse_target_date",
    "partner_choices",
    "plan_file",
    "plan_rows",
    "plan_to_csv",
    "plan_to_html",
    "plan_to_markdown",
]

#: How many of the highest-ranked gaps the plan starts from.
TOP_GAPS = 5
#: The plan must give a complete action for at least this many of the top gaps.
PRIORITY_GAPS = 3
#: The autosave kind of the action-plan exercise.
PLAN_KIND = "action_plan"
#: Words that mark an owner as a role, a team or an organization rather than a person.
ROLE_WORDS = frozenset(
    """
    administrator advocate advocates agency analyst assistant attorney board captain case chair
    chairperson chaplain chief church clerk clinic coalition committee coordinator council
    counselor counsellor deacon department departments desk detective director doctor educator
    educators elder executive facilitator force founder group head hospital intern lead leader
    leaders liaison librarian manager members member ministry network nurse nurses office officer
    officers organiser organizer outreach owner partner partners pastor police president principal
    program programme programs programmes prosecutor rabbi representative secretary service
    services sheriff social specialist staff supervisor task taskforce teacher teachers team
    trainer treasurer unit volunteer volunteers worker workers youth imam priest minister
    alliance association center centre city college county foundation house institute library
    project school shelter society state university me us we tbd everyone
    """.split()
)
_TITLES = frozenset("mr mrs ms miss mx dr prof sir madam".split())
_NAME_WORD = re.compile(r"^[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)*\.?$")


@dataclass
class PlanItem:
    """The plan's answer to one gap (one indicator of the assessment)."""

    indicator_id: str
    options: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    goal: str = ""
    first_step: str = ""
    owner: str = ""
    target_date: str = ""
    suggested_option: str = ""

    def missing(self) -> list[str]:
        """What this action still needs, in plain words (empty when complete)."""
        needs = []
        if not self.options:
            needs.append("an engagement option")
        if not self.goal.strip():
            needs.append("a goal")
        if not self.first_step.strip():
            needs.append("a first step")
        if not self.owner.strip():
            needs.append("an owner (a role)")
        if not self.target_date.strip():
            needs.append("a target date")
        return needs

    def is_complete(self) -> bool:
        """True when every part of the action is filled in."""
        return not self.missing()

    def is_started(self) -> bool:
        """True when the learner has written anything beyond the suggested option."""
        return bool(
            self.goal.strip()
            or self.first_step.strip()
            or self.owner.strip()
            or self.target_date.strip()
            or self.partners
            or set(self.options) != ({self.suggested_option} - {""})
        )


@dataclass
class ActionPlan:
    """A community's action plan: one :class:`PlanItem` per chosen gap, in priority order."""

    community: str = ""
    fictional: bool = False
    uses_example: bool = False
    items: list[PlanItem] = field(default_factory=list)
    updated: str = ""

    @classmethod
    def from_assessment(
        cls, assessment: Assessment, top: int = TOP_GAPS, uses_example: bool = False
    ) -> ActionPlan:
        """A new plan with one item for each of the ``top`` highest-ranked gaps."""
        plan = cls(
            community=assessment.community,
            fictional=assessment.fictional,
            uses_example=uses_example,
        )
        plan.add_top_gaps(assessment, top)
        return plan

    def item(self, indicator_id: str) -> PlanItem | None:
        """The item for ``indicator_id``, or None."""
        for item in self.items:
            if item.indicator_id == indicator_id:
                return item
        return None

    def add_gap(self, assessment: Assessment, indicator_id: str) -> PlanItem:
        """Add (or return) the item for one gap, with its suggested option chosen."""
        existing = self.item(indicator_id)
        if existing is not None:
            return existing
        ranked = gaps(assessment)
        row = ranked[ranked["indicator_id"] == indicator_id]
        if row.empty:
            assessment.framework.indicator(indicator_id)  # KeyError for an unknown id
            suggested = ""
        else:
            suggested = str(row.iloc[0]["suggested_option"])
        item = PlanItem(
            indicator_id=indicator_id,
            options=[suggested] if suggested else [],
            suggested_option=suggested,
        )
        self.items.append(item)
        return item

    def add_top_gaps(self, assessment: Assessment, top: int = TOP_GAPS) -> list[PlanItem]:
        """Add items for the ``top`` highest-ranked gaps the plan does not hold yet."""
        added = []
        for ind_id in gaps(assessment, top=top)["indicator_id"]:
            if self.item(ind_id) is None:
                added.append(self.add_gap(assessment, str(ind_id)))
        return added

    def remove(self, indicator_id: str) -> None:
        """Drop the item for ``indicator_id`` (nothing happens if there is none)."""
        self.items = [i for i in self.items if i.indicator_id != indicator_id]

    def touch(self) -> None:
        """Record the time of the last change (UTC, ISO 8601)."""
        self.updated = datetime.now(UTC).replace(microsecond=0).isoformat()

    def to_state(self) -> dict[str, Any]:
        """The plan as plain JSON-ready data (what the autosave store keeps)."""
        return {
            "community": self.community,
            "fictional": self.fictional,
            "uses_example": self.uses_example,
            "updated": self.updated,
            "items": [asdict(item) for item in self.items],
        }

    @classmethod
    def from_state(cls, state: dict[str, Any], framework: Framework) -> ActionPlan:
        """Rebuild a plan from :meth:`to_state` data.

        Raises:
            CourseInputError: naming the field that is wrong, and how to fix it.
        """
        where_file = "action_plan.json"
        if not isinstance(state, dict):
            raise CourseInputError(
                "the saved plan is not an object.",
                fix="restore the .bak copy, or start the plan again.",
                file=where_file,
            )
        items_data = state.get("items", [])
        if not isinstance(items_data, list):
            raise CourseInputError(
                "the field items must be a list of actions.",
                fix="restore the .bak copy, or start the plan again.",
                file=where_file,
                where="field state.items",
            )
        known = set(framework.indicator_ids)
        items = []
        for index, raw in enumerate(items_data):
            where = f"field state.items[{index}]"
            if not isinstance(raw, dict) or raw.get("indicator_id") not in known:
                raise CourseInputError(
                    "this action does not name an indicator of the framework.",
                    fix="restore the .bak copy, or remove this action from the file.",
                    file=where_file,
                    where=where,
                )
            options = [o for o in _str_list(raw.get("options")) if o in ENGAGEMENT_OPTIONS]
            items.append(
                PlanItem(
                    indicator_id=raw["indicator_id"],
                    options=options,
                    partners=split_organizations(_str_list(raw.get("partners"))),
                    goal=str(raw.get("goal") or ""),
                    first_step=str(raw.get("first_step") or ""),
                    owner=str(raw.get("owner") or ""),
                    target_date=str(raw.get("target_date") or ""),
                    suggested_option=str(raw.get("suggested_option") or ""),
                )
            )
        return cls(
            community=str(state.get("community") or ""),
            fictional=bool(state.get("fictional", False)),
            uses_example=bool(state.get("uses_example", False)),
            items=items,
            updated=str(state.get("updated") or ""),
        )


def _str_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value if v is not None]
    return []


# --------------------------------------------------------------------------- checks
def parse_target_date(text: str) -> date:
    """Read a target date written as ``YYYY-MM-DD``.

    Raises:
        ValueError: saying how to write the date.
    """
    raw = (text or "").strip()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(
            f"{raw!r} is not a date; write it as YEAR-MONTH-DAY, for example 2026-03-31"
        ) from None


def looks_like_personal_name(text: str) -> bool:
    """A cautious guess that ``text`` is a person's name rather than a role.

    Names are written as two or three capitalised words (``Maria Lopez``) or
    start with a title (``Dr Smith``); a role word (coordinator, team, chair,
    ...) anywhere makes it a role. It is a guess: the widget warns, it never
    refuses.
    """
    words = [w.strip(",.;:()") for w in (text or "").split()]
    words = [w for w in words if w]
    if not words:
        return False
    if any(w.casefold().rstrip("s") in ROLE_WORDS or w.casefold() in ROLE_WORDS for w in words):
        return False
    if words[0].casefold().rstrip(".") in _TITLES and len(words) >= 2:
        return True
    return 1 <= len(words) <= 3 and all(_NAME_WORD.match(w) for w in words)


def owner_warnings(owner: str) -> list[str]:
    """Warnings for an owner that looks like a person's name, an email or a phone number."""
    warnings = privacy_warnings(owner)
    if looks_like_personal_name(owner):
        warnings.append(
            f"{owner.strip()!r} may be a person's name. Write a role instead, such as "
            "'coalition coordinator' or 'youth services lead': the plan is shared beyond "
            "your team, and roles stay right when people change jobs."
        )
    return warnings


def item_warnings(item: PlanItem) -> list[str]:
    """Privacy, owner and date warnings for one action."""
    warnings = owner_warnings(item.owner)
    text = " ".join([item.goal, item.first_step, "; ".join(item.partners)])
    for warning in privacy_warnings(text):
        if warning not in warnings:
            warnings.append(warning)
    if item.target_date.strip():
        try:
            when = parse_target_date(item.target_date)
        except ValueError as exc:
            warnings.append(f"Target date: {exc}.")
        else:
            if when < date.today():
                warnings.append(f"The target date {when.isoformat()} is in the past.")
    return warnings


def needs_action_below(framework: Framework) -> float:
    """Coverage under which a focus area needs an action: the scale's second-highest level
    (2 Established on the course's 0-3 scale, so 66.7/100)."""
    top = framework.max_rating
    return round(100.0 * max(top - 1, 0) / top, 1) if top else 0.0


def check_plan(plan: ActionPlan, assessment: Assessment) -> list[str]:
    """Messages about what the plan still misses (an empty list means it is ready).

    The rules are :func:`endtrafficking.readiness.plan_problems`, the same ones the
    graded checks apply: a complete action for each of the :data:`PRIORITY_GAPS`
    highest-ranked gaps, an action in every focus area below
    :func:`needs_action_below`, partners where the plan comes alongside others,
    owners that are roles, and real target dates.
    """
    from endtrafficking.readiness import plan_problems

    return plan_problems(plan, assessment)


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


# --------------------------------------------------------------------------- partners
def partner_choices(
    assessment: Assessment, inventory: list[Any] | None = None, area_id: str | None = None
) -> list[str]:
    """Partner names to suggest: inventory organizations (those serving ``area_id`` first),
    then organizations named in the assessment, without repeats."""
    first: list[str] = []
    rest: list[str] = []
    for entry in inventory or []:
        name = str(getattr(entry, "organization", "") or "").strip()
        if not name:
            continue
        serves = area_id is not None and area_id in (getattr(entry, "focus_areas", None) or [])
        (first if serves else rest).append(name)
    if area_id is not None:
        area = assessment.framework.area(area_id)
        for ind in area.indicators:
            first.extend(assessment.responses[ind.id].organizations)
    rest.extend(assessment.organizations())
    seen: set[str] = set()
    out = []
    for name in first + sorted(rest, key=str.casefold):
        key = name.casefold()
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out
