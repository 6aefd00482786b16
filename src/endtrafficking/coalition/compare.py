"""Progress over time: two dated assessments of one community, then and now.

Per focus area the change in coverage, the indicators whose rating rose or
fell, and whether the weakest area changed, all from the course's own scoring
(:mod:`endtrafficking.scoring`). "Not rated" counts as 0, as it does in the
scores, and is said so where an indicator was not rated on one side.
"""

from __future__ import annotations

from dataclasses import dataclass

from endtrafficking.assessment import Assessment
from endtrafficking.errors import CourseInputError
from endtrafficking.scoring import area_scores, balance, readiness


@dataclass(frozen=True)
class AreaChange:
    """One focus area's coverage (0-100), then and now."""

    area_id: str
    area: str
    then: float
    now: float

    @property
    def change(self) -> float:
        """Points gained (negative: lost)."""
        return round(self.now - self.then, 1)


@dataclass(frozen=True)
class IndicatorChange:
    """One indicator whose rating moved."""

    indicator_id: str
    area: str
    question: str
    then: int | None
    now: int | None

    def text(self) -> str:
        """ "PRE1 (Prevention): 1 -> 3"."""

        def shown(value: int | None) -> str:
            return "not rated" if value is None else str(value)

        return f"{self.indicator_id} ({self.area}): {shown(self.then)} -> {shown(self.now)}"


@dataclass(frozen=True)
class Comparison:
    """What changed between an earlier and a later assessment."""

    then_label: str
    now_label: str
    areas: tuple[AreaChange, ...]
    improved: tuple[IndicatorChange, ...]
    fell: tuple[IndicatorChange, ...]
    weakest_then: str
    weakest_now: str
    readiness_then: float
    readiness_now: float
    notes: tuple[str, ...] = ()

    @property
    def weakest_changed(self) -> bool:
        """Whether the weakest focus area is another one now."""
        return self.weakest_then != self.weakest_now

    def weakest_sentence(self) -> str:
        """Whether the weakest area changed, in words."""
        if self.weakest_changed:
            return (
                f"The weakest area changed: it was {self.weakest_then} {self.then_label} and is "
                f"{self.weakest_now} {self.now_label}."
            )
        return f"The weakest area is still {self.weakest_now}."


def _label(prefix: str, assessment: Assessment) -> str:
    return f"{prefix} ({assessment.date})" if assessment.date else prefix


def compare_assessments(old: Assessment, new: Assessment) -> Comparison:
    """Compare an earlier assessment with a later one of the same community.

    Raises:
        CourseInputError: if the two use frameworks with different indicators.
    """
    if old.framework.indicator_ids != new.framework.indicator_ids:
        raise CourseInputError(
            "the two assessments use frameworks with different indicators.",
            fix="compare assessments made with the same framework (give --framework for both).",
        )
    fw = new.framework
    then_scores, now_scores = area_scores(old), area_scores(new)
    areas = tuple(
        AreaChange(
            a.id,
            a.name,
            float(then_scores.at[a.id, "coverage"]),
            float(now_scores.at[a.id, "coverage"]),
        )
        for a in fw.areas
    )
    improved, fell = [], []
    for ind in fw.indicators:
        before, after = old.responses[ind.id].rating, new.responses[ind.id].rating
        if (before or 0) == (after or 0):
            continue
        change = IndicatorChange(ind.id, fw.area(ind.area_id).name, ind.question, before, after)
        (improved if (after or 0) > (before or 0) else fell).append(change)
    notes = []
    if old.community and new.community and old.community != new.community:
        notes.append(f"The two name different communities: {old.community} and {new.community}.")
    versions = {a.file_framework_version for a in (old, new)} - {""}
    if len(versions) > 1:
        notes.append(
            f"They were made from different framework versions ({', '.join(sorted(versions))})."
        )
    if old.date and new.date and old.date > new.date:
        notes.append("The earlier file is dated after the later one: check the order.")
    return Comparison(
        then_label=_label("then", old),
        now_label=_label("now", new),
        areas=areas,
        improved=tuple(improved),
        fell=tuple(fell),
        weakest_then=balance(old).weakest,
        weakest_now=balance(new).weakest,
        readiness_then=readiness(old).score,
        readiness_now=readiness(new).score,
        notes=tuple(notes),
    )


def comparison_lines(comparison: Comparison) -> list[str]:
    """The comparison as plain text lines (the ``compare`` command's output)."""
    c = comparison
    lines = [f"Progress from {c.then_label} to {c.now_label}", ""]
    lines += [f"Note: {note}" for note in c.notes]
    lines.append(
        f"Readiness {c.readiness_then:.0f} -> {c.readiness_now:.0f}/100. {c.weakest_sentence()}"
    )
    lines += ["", "Coverage by focus area (0-100):"]
    width = max(len(a.area) for a in c.areas)
    lines += [
        f"  {a.area:<{width}}  {a.then:5.1f} -> {a.now:5.1f}  ({a.change:+.1f})" for a in c.areas
    ]
    for title, items in (("Improved", c.improved), ("Fell", c.fell)):
        lines += ["", f"{title} ({len(items)}):"]
        lines += [f"  {item.text()}" for item in items] or ["  none"]
    return lines


def comparison_data(comparison: Comparison) -> dict:
    """The comparison as JSON-ready data."""
    c = comparison

    def ind(item: IndicatorChange) -> dict:
        return {
            "indicator_id": item.indicator_id,
            "area": item.area,
            "then": item.then,
            "now": item.now,
        }

    return {
        "then": c.then_label,
        "now": c.now_label,
        "areas": [
            {"area_id": a.area_id, "area": a.area, "then": a.then, "now": a.now, "change": a.change}
            for a in c.areas
        ],
        "improved": [ind(i) for i in c.improved],
        "fell": [ind(i) for i in c.fell],
        "weakest_then": c.weakest_then,
        "weakest_now": c.weakest_now,
        "weakest_changed": c.weakest_changed,
        "readiness_then": c.readiness_then,
        "readiness_now": c.readiness_now,
        "notes": list(c.notes),
    }
