"""Scoring a community assessment: coverage, balance, ranked gaps, readiness.

The course's central point lives here: a community is only as ready as its
weakest focus area. A high average can hide an area left empty, so the
readiness score weighs the weakest area as much as the average, and the
balance measure names the strong area that hides the weak one.

All arithmetic runs on arrays of shape (communities, indicators), so one
community and 3,000 communities use the same code (see ``aggregate.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from endtrafficking.assessment import Assessment
from endtrafficking.framework import Framework

#: Balance below this (points between strongest and weakest area) is flagged.
IMBALANCE_SPREAD = 40.0
#: An area under this coverage is "weak".
WEAK_AREA = 34.0
#: Scores are shown with this many decimals.
DECIMALS = 1
#: Readiness levels: (lowest score, label).
READINESS_LEVELS = (
    (0.0, "Getting started"),
    (25.0, "Building"),
    (50.0, "Established"),
    (75.0, "Strong"),
)


def membership(framework: Framework) -> np.ndarray:
    """A (indicators, areas) matrix whose columns average an area's indicators."""
    ids = framework.indicator_ids
    matrix = np.zeros((len(ids), len(framework.areas)))
    row = 0
    for col, area in enumerate(framework.areas):
        n = len(area.indicators)
        matrix[row : row + n, col] = 1.0 / n
        row += n
    return matrix


def coverage_matrix(ratings: np.ndarray, framework: Framework) -> np.ndarray:
    """Coverage 0-100 per area for each row of ``ratings`` (NaN counts as 0)."""
    filled = np.nan_to_num(np.atleast_2d(ratings), nan=0.0)
    return filled @ membership(framework) * (100.0 / framework.max_rating)


def summary_arrays(coverage: np.ndarray) -> dict[str, np.ndarray]:
    """Mean, weakest, strongest, balance and readiness for each row of area coverage."""
    mean = coverage.mean(axis=1)
    weakest = coverage.min(axis=1)
    strongest = coverage.max(axis=1)
    balance = 100.0 - (strongest - weakest)
    readiness = (mean + weakest) / 2.0
    return {
        "mean": mean,
        "weakest": weakest,
        "strongest": strongest,
        "balance": balance,
        "readiness": readiness,
    }


def round_scores(values: float | np.ndarray) -> float | np.ndarray:
    """Round scores to :data:`DECIMALS`, by one rule for one community and for many.

    (Python's ``round`` and numpy's differ on a few halves; aggregate tables use
    numpy, so one community's scores use it too and the two always agree.)
    """
    rounded = np.round(values, DECIMALS)
    return float(rounded) if np.ndim(rounded) == 0 else rounded


def readiness_level(score: float) -> str:
    """The readiness label for a 0-100 score."""
    label = READINESS_LEVELS[0][1]
    for floor, name in READINESS_LEVELS:
        if score >= floor:
            label = name
    return label


def area_scores(assessment: Assessment) -> pd.DataFrame:
    """One row per focus area: coverage 0-100, indicators rated, and organizations named."""
    fw = assessment.framework
    coverage = coverage_matrix(assessment.ratings(), fw)[0]
    rows = []
    for area, cov in zip(fw.areas, coverage, strict=True):
        responses = [assessment.responses[i.id] for i in area.indicators]
        rows.append(
            {
                "area_id": area.id,
                "area": area.name,
                "coverage": round_scores(float(cov)),
                "rated": sum(r.rating is not None for r in responses),
                "indicators": len(responses),
                "organizations": len({o for r in responses for o in r.organizations}),
            }
        )
    return pd.DataFrame(rows).set_index("area_id")


@dataclass(frozen=True)
class Balance:
    """How even the community's strength is across the focus areas."""

    index: float
    strongest: str
    strongest_coverage: float
    weakest: str
    weakest_coverage: float
    hidden_weakness: bool
    message: str


def balance(assessment: Assessment) -> Balance:
    """The balance measure: 100 minus the points between strongest and weakest area."""
    scores = area_scores(assessment)
    strong = scores["coverage"].idxmax()
    weak = scores["coverage"].idxmin()
    hi, lo = float(scores.at[strong, "coverage"]), float(scores.at[weak, "coverage"])
    spread = hi - lo
    hidden = spread >= IMBALANCE_SPREAD and lo < WEAK_AREA
    s_name, w_name = scores.at[strong, "area"], scores.at[weak, "area"]
    if hidden:
        message = (
            f"Strength in {s_name} ({hi:.0f}/100) hides a gap in {w_name} ({lo:.0f}/100). "
            f"Work in one area cannot make up for another: a gap in {w_name} leaves people "
            "unprotected however strong the rest is."
        )
    elif spread >= IMBALANCE_SPREAD / 2:
        message = (
            f"Uneven: {s_name} ({hi:.0f}) is well ahead of {w_name} ({lo:.0f}). "
            "Bring the weaker areas along at the same time."
        )
    else:
        message = "Even: the focus areas are within a few points of each other."
    return Balance(
        index=round_scores(100.0 - spread),
        strongest=s_name,
        strongest_coverage=hi,
        weakest=w_name,
        weakest_coverage=lo,
        hidden_weakness=hidden,
        message=message,
    )


#: The ranked-gaps table as a person reads it: each column of :func:`gaps` shown, with
#: its heading (the course's pages, demonstrations and exercises share one table).
GAP_HEADINGS = {
    "rank": "Rank",
    "indicator_id": "Indicator",
    "area": "Focus area",
    "rating_label": "Rating",
    "severity": "Severity (0-100)",
    "option_label": "Suggested option",
    "reason": "Why",
}


def suggest_option(rating: int | None, organizations: list[str]) -> tuple[str, str]:
    """Suggest an engagement option for a gap, and say why.

    * organizations already work on it -> come alongside them;
    * something exists (rated above 0) but nobody was named -> enhance it;
    * nothing exists and nobody works on it -> fill the gap.
    """
    if organizations:
        return "come_alongside", f"{len(organizations)} organization(s) already work on this."
    if rating is not None and rating > 0:
        return "enhance", (
            "Something exists, but no organization was named: enhance it if it is your own "
            "work; otherwise come alongside whoever runs it."
        )
    return "fill_gap", "Nothing is in place and no organization was named."


def gaps(assessment: Assessment, top: int | None = None) -> pd.DataFrame:
    """Indicators below the top of the scale, ranked by severity (0-100, highest first).

    Severity grows with how far the rating is from the top of the scale, and
    with how weak the indicator's whole area is, so a gap inside an empty area
    outranks the same gap inside a strong one. Unrated indicators count as
    gaps to find out about.
    """
    fw = assessment.framework
    ratings = assessment.ratings()
    coverage = coverage_matrix(ratings, fw)[0]
    area_index = {a.id: i for i, a in enumerate(fw.areas)}
    rows = []
    for order, ind in enumerate(fw.indicators):
        resp = assessment.responses[ind.id]
        value = resp.rating
        if value is not None and value >= fw.max_rating:
            continue
        shortfall = (fw.max_rating - (value or 0)) / fw.max_rating
        area_cov = float(coverage[area_index[ind.area_id]])
        severity = shortfall * (50.0 + (100.0 - area_cov) / 2.0)
        option, reason = suggest_option(value, resp.organizations)
        rows.append(
            {
                "indicator_id": ind.id,
                "area": fw.area(ind.area_id).name,
                "question": ind.question,
                "rating": value,
                "rating_label": fw.scale_label(value),
                "area_coverage": round_scores(area_cov),
                "severity": round_scores(severity),
                "suggested_option": option,
                "option_label": fw.options.get(option, option),
                "reason": reason,
                "organizations": "; ".join(resp.organizations),
                "_order": order,
            }
        )
    columns = [
        "rank",
        "indicator_id",
        "area",
        "question",
        "rating",
        "rating_label",
        "area_coverage",
        "severity",
        "suggested_option",
        "option_label",
        "reason",
        "organizations",
    ]
    if not rows:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(rows).sort_values(["severity", "_order"], ascending=[False, True])
    frame = frame.drop(columns="_order").reset_index(drop=True)
    frame.insert(0, "rank", range(1, len(frame) + 1))
    frame["rating"] = frame["rating"].astype("Int64")
    return frame.head(top) if top is not None else frame


@dataclass(frozen=True)
class Readiness:
    """The overall summary of a community's readiness."""

    score: float
    level: str
    mean_coverage: float
    weakest_coverage: float
    rated: int
    indicators: int
    balance: Balance
    summary: str


def readiness(assessment: Assessment) -> Readiness:
    """Overall readiness: the average of the mean coverage and the weakest area's coverage."""
    scores = area_scores(assessment)
    cov = scores["coverage"].to_numpy()[None, :]
    summ = {k: float(v[0]) for k, v in summary_arrays(cov).items()}
    bal = balance(assessment)
    level = readiness_level(summ["readiness"])
    rated, total = assessment.rated_count, len(assessment.framework.indicator_ids)
    parts = [
        f"Readiness {summ['readiness']:.0f}/100 ({level}).",
        f"Average coverage {summ['mean']:.0f}/100; weakest area {bal.weakest} "
        f"{summ['weakest']:.0f}/100.",
        bal.message,
    ]
    if rated < total:
        parts.append(f"{total - rated} of {total} indicators are not rated yet and count as 0.")
    return Readiness(
        score=round_scores(summ["readiness"]),
        level=level,
        mean_coverage=round_scores(summ["mean"]),
        weakest_coverage=round_scores(summ["weakest"]),
        rated=rated,
        indicators=total,
        balance=bal,
        summary=" ".join(parts),
    )
