"""Aggregating many assessments (a region or a cohort) into one table."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from endtrafficking import scoring
from endtrafficking.aggregate import (
    COHORT_COLUMNS,
    SUMMARY_COLUMNS,
    UNNAMED,
    aggregate,
    aggregate_frames,
    area_columns,
    cohort_summary,
    ratings_matrix,
    readiness_levels,
    unique_names,
)
from endtrafficking.assessment import Assessment
from endtrafficking.errors import CourseInputError
from endtrafficking.framework import parse_framework
from endtrafficking.paths import templates_dir


def community(framework, name: str, per_area: dict[str, int | None]) -> Assessment:
    a = Assessment.blank(name, framework)
    for area in framework.areas:
        for ind in area.indicators:
            a.set_response(ind.id, rating=per_area.get(area.id))
    return a


@pytest.fixture
def region(framework, filled) -> list[Assessment]:
    """Three fictional communities plus the filled one."""
    all_two = {a.id: 2 for a in framework.areas}
    return [
        community(framework, "Ashford (fictional)", all_two),
        community(framework, "Birchwood (fictional)", all_two | {"restoration": 0}),
        community(framework, "Cole Valley (fictional)", {"justice": 3}),
        filled,
    ]


def test_ratings_matrix(framework, filled):
    """Is the matrix one row per community, framework order, NaN where unrated?"""
    m = ratings_matrix([filled, filled], framework)
    assert m.shape == (2, len(framework.indicator_ids))
    np.testing.assert_array_equal(m[0], filled.ratings())
    assert ratings_matrix([], framework).shape == (0, len(framework.indicator_ids))


def test_table_columns_are_area_names_then_summaries(framework, region):
    """Are the columns exactly the area names (for the chart), then the summaries?"""
    table = aggregate(region)
    areas = [a.name for a in framework.areas]
    assert list(table.columns) == areas + list(SUMMARY_COLUMNS)
    assert area_columns(table) == areas
    assert table.index.name == "community"
    assert list(table.index) == [a.community for a in region]


def test_matches_scoring_one_by_one(region):
    """Does every row equal what scoring gives for that community alone?"""
    table = aggregate(region)
    for a, (_, row) in zip(region, table.iterrows(), strict=True):
        scores = scoring.area_scores(a)
        ready = scoring.readiness(a)
        assert list(row[scores["area"]]) == list(scores["coverage"])
        assert row["readiness"] == ready.score
        assert row["level"] == ready.level
        assert row["mean"] == ready.mean_coverage
        assert row["weakest"] == ready.weakest_coverage
        assert row["balance"] == ready.balance.index
        assert row["weakest_area"] == ready.balance.weakest


def test_repeated_names_made_unique(framework):
    """Are repeated or blank community names made unique, so each row keeps its own name?"""
    same = [Assessment.blank("Ashford (fictional)", framework) for _ in range(3)]
    table = aggregate([*same, Assessment.blank("", framework), Assessment.blank(" ", framework)])
    assert list(table.index) == [
        "Ashford (fictional)",
        "Ashford (fictional) (2)",
        "Ashford (fictional) (3)",
        UNNAMED,
        f"{UNNAMED} (2)",
    ]
    assert table.index.is_unique


def test_unique_names_avoids_existing_suffixes():
    """Is a made-up suffix never one that already exists?"""
    assert unique_names(["A", "A (2)", "A"]) == ["A", "A (2)", "A (3)"]


def test_empty_input(framework):
    """Does an empty cohort give an empty table with the right columns?"""
    table = aggregate([], framework)
    assert table.empty
    assert list(table.columns) == [a.name for a in framework.areas] + list(SUMMARY_COLUMNS)
    summary = cohort_summary(table)
    assert list(summary.columns) == list(COHORT_COLUMNS)
    assert (summary["below_weak"] == 0).all()


def test_different_frameworks_refused(framework):
    """Is an assessment made with another framework refused, naming it?"""
    import yaml

    data = yaml.safe_load((templates_dir() / "framework.yaml").read_text(encoding="utf-8"))
    data["areas"] = data["areas"][:2]
    other = parse_framework(data, "regional.yaml")
    mixed = [Assessment.blank("A", framework), Assessment.blank("Other (fictional)", other)]
    with pytest.raises(CourseInputError, match=r"regional\.yaml: assessment 2 \(Other"):
        aggregate(mixed)


def test_same_indicators_from_another_load_are_fine(framework):
    """Is an assessment accepted when its framework is another copy with the same indicators?"""
    twin = copy.deepcopy(framework)
    table = aggregate([Assessment.blank("A", framework), Assessment.blank("B", twin)])
    assert len(table) == 2


def test_aggregate_frames_checks_shape(framework):
    """Are a matrix of the wrong width, or names of the wrong length, refused?"""
    n = len(framework.indicator_ids)
    with pytest.raises(ValueError, match="shape"):
        aggregate_frames(np.zeros((2, n - 1)), ["a", "b"], framework)
    with pytest.raises(ValueError, match="names"):
        aggregate_frames(np.zeros((2, n)), ["a"], framework)


def test_cohort_summary(framework):
    """Are mean, median, min, weakest share and the count below the weak line right?"""
    all_two = {a.id: 2 for a in framework.areas}
    cohort = [
        community(framework, "A", all_two | {"restoration": 0}),
        community(framework, "B", all_two | {"restoration": 1}),
        community(framework, "C", all_two | {"justice": 0}),
        community(framework, "D", all_two),
    ]
    summary = cohort_summary(aggregate(cohort))
    assert list(summary.columns) == list(COHORT_COLUMNS)
    assert list(summary.index) == [a.name for a in framework.areas]
    rest = summary.loc["Restoration"]
    assert rest["mean"] == pytest.approx((0 + 33.3 + 66.7 + 66.7) / 4, abs=0.05)
    assert rest["median"] == pytest.approx(50.0)
    assert rest["min"] == 0.0
    assert rest["below_weak"] == 2  # 0 and 33.3 are under scoring.WEAK_AREA
    assert rest["weakest_share"] == 0.5
    assert summary.loc["Justice", "weakest_share"] == 0.25
    # D is even: its weakest area is the first in framework order.
    assert summary.loc["Prevention", "weakest_share"] == 0.25
    assert summary["weakest_share"].sum() == pytest.approx(1.0)


def test_readiness_levels_vectorized():
    """Does the vectorized level agree with scoring.readiness_level at the boundaries?"""
    scores = np.array([0, 24.99, 25, 49.9, 50, 74.9, 75, 100])
    assert list(readiness_levels(scores)) == [scoring.readiness_level(s) for s in scores]


RATING = st.sampled_from([np.nan, 0.0, 1.0, 2.0, 3.0])


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(RATING, min_size=30, max_size=30), min_size=1, max_size=5))
def test_vectorized_equals_loop(framework, rows):
    """For any ratings, does the vectorized table equal scoring one community at a time?"""
    ratings = np.array(rows, dtype=float)
    names = [f"C{i}" for i in range(len(rows))]
    table = aggregate_frames(ratings, names, framework)
    for name, row in zip(names, ratings, strict=True):
        a = Assessment.blank(name, framework)
        for ind, value in zip(framework.indicator_ids, row, strict=True):
            a.set_response(ind, rating=None if np.isnan(value) else int(value))
        ready = scoring.readiness(a)
        got = table.loc[name]
        assert list(got[area_columns(table)]) == list(scoring.area_scores(a)["coverage"])
        assert (got["readiness"], got["level"]) == (ready.score, ready.level)
        assert (got["balance"], got["weakest_area"]) == (ready.balance.index, ready.balance.weakest)


def test_table_is_plain_pandas(region):
    """Is the table a plain DataFrame with float coverage (ready for plots and CSV export)?"""
    table = aggregate(region)
    assert isinstance(table, pd.DataFrame)
    assert all(table[c].dtype == float for c in area_columns(table))
    assert table.to_csv().startswith("community,Prevention,")
