"""Many community assessments (a region, or a cohort of learners) in one table.

A statewide coalition or an instructor looks at many communities at once:
which focus areas are weak almost everywhere, and which communities hide a
gap behind a strong area. Everything here is vectorized: the ratings of all
communities become one (communities x indicators) matrix, and the scoring
arithmetic of :mod:`endtrafficking.scoring` runs on that matrix in one go.

The table has one row per community and, as columns, the focus areas' names
(coverage 0-100) followed by :data:`SUMMARY_COLUMNS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from endtrafficking.assessment import Assessment
from endtrafficking.errors import CourseInputError
from endtrafficking.framework import Framework, load_framework
from endtrafficking.scoring import (
    DECIMALS,
    READINESS_LEVELS,
    WEAK_AREA,
    coverage_matrix,
    round_scores,
    summary_arrays,
)

#: Columns after the focus areas, in order.
SUMMARY_COLUMNS = ("mean", "weakest", "weakest_area", "balance", "readiness", "level")
#: Columns of :func:`cohort_summary`, in order.
COHORT_COLUMNS = ("mean", "median", "min", "weakest_share", "below_weak")
#: The name given to a community whose name was left blank.
UNNAMED = "Unnamed community"


def ratings_matrix(assessments: Sequence[Assessment], framework: Framework) -> np.ndarray:
    """A (communities x indicators) float matrix of ratings, NaN where not rated.

    Raises:
        CourseInputError: if an assessment uses a framework with other indicators.
    """
    ids = framework.indicator_ids
    rows: list[list[float | None]] = []
    for number, assessment in enumerate(assessments, start=1):
        if assessment.framework is not framework and assessment.framework.indicator_ids != ids:
            raise CourseInputError(
                "this assessment uses a framework with other indicators than the rest.",
                fix="aggregate only assessments made with the same framework file.",
                file=assessment.framework.source_path or None,
                where=f"assessment {number} ({assessment.community or UNNAMED})",
            )
        responses = assessment.responses
        rows.append([responses[i].rating for i in ids])
    if not rows:
        return np.empty((0, len(ids)), dtype=float)
    # numpy turns None into NaN when asked for floats.
    return np.array(rows, dtype=float)


def unique_names(names: Iterable[str]) -> list[str]:
    """Community names made unique: a repeated name gets " (2)", " (3)", ...

    A blank name becomes :data:`UNNAMED`.
    """
    taken: set[str] = set()
    counts: dict[str, int] = {}
    out: list[str] = []
    for raw in names:
        base = str(raw).strip() or UNNAMED
        name = base
        while name in taken:
            counts[base] = counts.get(base, 1) + 1
            name = f"{base} ({counts[base]})"
        taken.add(name)
        out.append(name)
    return out


def readiness_levels(scores: np.ndarray) -> np.ndarray:
    """The readiness label of each score (vectorized :func:`scoring.readiness_level`)."""
    floors = np.array([floor for floor, _ in READINESS_LEVELS])
    labels = np.array([label for _, label in READINESS_LEVELS], dtype=object)
    index = np.searchsorted(floors, scores, side="right") - 1
    return labels[np.clip(index, 0, len(labels) - 1)]


def aggregate_frames(
    ratings: np.ndarray, names: Sequence[str], framework: Framework
) -> pd.DataFrame:
    """Score a (communities x indicators) ratings matrix into the aggregate table.

    The numbers are those of :func:`scoring.area_scores` and :func:`scoring.readiness`
    for each community: coverage is rounded to one decimal first, and the
    summaries are computed from the rounded coverage, as for one community.

    Raises:
        ValueError: if the matrix and the names or the framework do not fit.
    """
    ratings = np.asarray(ratings, dtype=float)
    if ratings.ndim != 2 or ratings.shape[1] != len(framework.indicator_ids):
        raise ValueError(
            f"ratings must have shape (communities, {len(framework.indicator_ids)}), "
            f"not {ratings.shape}"
        )
    if len(names) != ratings.shape[0]:
        raise ValueError(f"{len(names)} names for {ratings.shape[0]} rows of ratings")
    areas = [area.name for area in framework.areas]
    clash = set(areas) & set(SUMMARY_COLUMNS)
    if clash:
        raise ValueError(f"area names {sorted(clash)} clash with the summary columns")
    coverage = round_scores(coverage_matrix(ratings, framework))
    table = pd.DataFrame(
        coverage, columns=areas, index=pd.Index(unique_names(names), name="community")
    )
    summary = summary_arrays(coverage)
    table["mean"] = round_scores(summary["mean"])
    table["weakest"] = round_scores(summary["weakest"])
    # argmin picks the first weakest area in framework order, as scoring.balance does.
    table["weakest_area"] = np.array(areas, dtype=object)[coverage.argmin(axis=1)]
    table["balance"] = round_scores(summary["balance"])
    table["readiness"] = round_scores(summary["readiness"])
    table["level"] = readiness_levels(summary["readiness"])
    return table


def aggregate(
    assessments: Sequence[Assessment], framework: Framework | None = None
) -> pd.DataFrame:
    """One row per community: each focus area's coverage (0-100) and the summaries.

    Columns are the focus areas' names, then ``mean``, ``weakest``,
    ``weakest_area``, ``balance``, ``readiness`` and ``level``. The index holds
    the community names, made unique (see :func:`unique_names`).

    Raises:
        CourseInputError: if the assessments use different frameworks.
    """
    assessments = list(assessments)
    if framework is None:
        framework = assessments[0].framework if assessments else load_framework()
    ratings = ratings_matrix(assessments, framework)
    return aggregate_frames(ratings, [a.community for a in assessments], framework)


def area_columns(table: pd.DataFrame) -> list[str]:
    """The focus-area columns of an aggregate table (every column but the summaries)."""
    return [c for c in table.columns if c not in SUMMARY_COLUMNS]


def cohort_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per focus area, across the communities of an :func:`aggregate` table.

    Columns: ``mean``, ``median`` and ``min`` coverage; ``weakest_share``, the
    share (0-1) of communities whose weakest area it is; and ``below_weak``, how
    many communities are under :data:`scoring.WEAK_AREA` in it.
    """
    areas = area_columns(table)
    coverage = table[areas].astype(float)
    summary = pd.DataFrame(
        {
            "mean": coverage.mean().round(DECIMALS),
            "median": coverage.median().round(DECIMALS),
            "min": coverage.min(),
            "weakest_share": (
                table["weakest_area"].value_counts().reindex(areas, fill_value=0)
                / max(len(table), 1)
            ).astype(float),
            "below_weak": (coverage < WEAK_AREA).sum().astype(int),
        },
        index=pd.Index(areas, name="area"),
    )
    return summary[list(COHORT_COLUMNS)]
