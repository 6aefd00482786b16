"""Scoring: coverage per area, balance, ranked gaps with suggested options, readiness."""

from __future__ import annotations

import numpy as np
import pytest

from endtrafficking import scoring
from endtrafficking.assessment import Assessment


def rated(framework, per_area: dict[str, int | None], community: str = "X (fictional)"):
    """An assessment with every indicator of an area rated the same."""
    a = Assessment.blank(community, framework)
    for area in framework.areas:
        for ind in area.indicators:
            a.set_response(ind.id, rating=per_area.get(area.id))
    return a


def test_membership_averages_each_area(framework):
    """Does the membership matrix average exactly the indicators of each area?"""
    m = scoring.membership(framework)
    assert m.shape == (len(framework.indicator_ids), len(framework.areas))
    np.testing.assert_allclose(m.sum(axis=0), 1.0)
    assert ((m > 0).sum(axis=1) == 1).all()


def test_coverage_values(framework):
    """Is coverage 0 for all-Absent, 100 for all-Strong, 66.7 for all-Established?"""
    a = rated(framework, {"prevention": 3, "identification": 2, "justice": 0})
    scores = scoring.area_scores(a)
    assert scores.loc["prevention", "coverage"] == 100.0
    assert scores.loc["identification", "coverage"] == 66.7
    assert scores.loc["justice", "coverage"] == 0.0
    assert scores.loc["restoration", "coverage"] == 0.0  # unrated counts as 0
    assert scores.loc["restoration", "rated"] == 0
    assert scores.loc["prevention", "rated"] == scores.loc["prevention", "indicators"] == 5


def test_area_scores_layout(filled):
    """Does area_scores give one row per area with the documented columns?"""
    scores = scoring.area_scores(filled)
    assert list(scores.index) == [a.id for a in filled.framework.areas]
    assert list(scores.columns) == ["area", "coverage", "rated", "indicators", "organizations"]
    assert scores.loc["justice", "organizations"] == 2
    assert scores.loc["rescue_response", "organizations"] == 1


def test_coverage_matrix_many_rows(framework):
    """Does coverage_matrix score many communities at once, NaN counting as 0?"""
    n = len(framework.indicator_ids)
    ratings = np.vstack([np.full(n, 3.0), np.full(n, np.nan), np.full(n, 1.0)])
    cov = scoring.coverage_matrix(ratings, framework)
    assert cov.shape == (3, len(framework.areas))
    np.testing.assert_allclose(cov[0], 100.0)
    np.testing.assert_allclose(cov[1], 0.0)
    np.testing.assert_allclose(cov[2], 100.0 / 3)
    np.testing.assert_allclose(scoring.coverage_matrix(np.full(n, 3.0), framework), cov[:1])


def test_summary_arrays_values():
    """Are mean, weakest, strongest, balance and readiness computed as documented?"""
    cov = np.array([[100.0, 0.0, 50.0], [60.0, 60.0, 60.0]])
    s = scoring.summary_arrays(cov)
    np.testing.assert_allclose(s["mean"], [50.0, 60.0])
    np.testing.assert_allclose(s["weakest"], [0.0, 60.0])
    np.testing.assert_allclose(s["strongest"], [100.0, 60.0])
    np.testing.assert_allclose(s["balance"], [0.0, 100.0])
    np.testing.assert_allclose(s["readiness"], [25.0, 60.0])


def test_balance_flags_hidden_weakness(framework):
    """When strength in one area hides an empty one, does balance say so by name?"""
    a = rated(framework, {a.id: 3 for a in framework.areas} | {"restoration": 0})
    bal = scoring.balance(a)
    assert bal.hidden_weakness
    assert bal.weakest == "Restoration" and bal.weakest_coverage == 0.0
    assert bal.strongest == "Prevention" and bal.index == 0.0
    assert "hides a gap in Restoration" in bal.message


def test_balance_even_and_uneven(framework):
    """Is an even community called even, and a moderately uneven one uneven but not hidden?"""
    even = scoring.balance(rated(framework, {a.id: 2 for a in framework.areas}))
    assert not even.hidden_weakness and even.index == 100.0
    assert even.message.startswith("Even")
    uneven = scoring.balance(rated(framework, {a.id: 2 for a in framework.areas} | {"justice": 1}))
    assert not uneven.hidden_weakness
    assert uneven.message.startswith("Uneven") and "Justice" in uneven.message


def test_high_average_does_not_hide_the_gap(framework):
    """Does readiness weigh the weakest area, so a high average with an empty area is not 'Strong'?"""
    a = rated(framework, {a.id: 3 for a in framework.areas} | {"restoration": 0})
    r = scoring.readiness(a)
    assert r.mean_coverage == pytest.approx(83.3)
    assert r.score == pytest.approx(41.7)
    assert r.level == "Building"
    assert "Restoration" in r.summary


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (0, "Getting started"),
        (24.9, "Getting started"),
        (25, "Building"),
        (50, "Established"),
        (74.99, "Established"),
        (75, "Strong"),
        (100, "Strong"),
    ],
)
def test_readiness_levels(score, level):
    """Is each readiness score given the right level, boundaries included?"""
    assert scoring.readiness_level(score) == level


def test_readiness_mentions_unrated(filled):
    """Does the readiness summary say how many indicators are not rated yet?"""
    r = scoring.readiness(filled)
    assert r.rated == r.indicators - 1
    assert "1 of 30 indicators are not rated yet" in r.summary


def test_gaps_ranked_by_severity(filled):
    """Are gaps ranked by severity, highest first, with a gap in an empty area on top?"""
    g = scoring.gaps(filled)
    assert list(g["rank"]) == list(range(1, len(g) + 1))
    assert g["severity"].is_monotonic_decreasing
    assert g.iloc[0]["area"] == "Restoration"
    assert g.iloc[0]["severity"] == 100.0
    assert "JUS1" not in set(g["indicator_id"])  # rated Strong: not a gap
    assert "PAR1" in set(g["indicator_id"])  # not rated: a gap to find out about


def test_gaps_top(filled):
    """Does gaps(top=3) keep the three most severe?"""
    assert list(scoring.gaps(filled, top=3)["indicator_id"]) == list(
        scoring.gaps(filled)["indicator_id"][:3]
    )


def test_no_gaps_when_all_strong(framework):
    """Is the gap table empty, with its columns, when every indicator is Strong?"""
    g = scoring.gaps(rated(framework, {a.id: 3 for a in framework.areas}))
    assert g.empty and "suggested_option" in g.columns


@pytest.mark.parametrize(
    ("rating", "orgs", "option"),
    [
        (0, ["Shelter (fictional)"], "come_alongside"),
        (2, ["Shelter (fictional)"], "come_alongside"),
        (1, [], "enhance"),
        (0, [], "fill_gap"),
        (None, [], "fill_gap"),
    ],
)
def test_suggested_option(rating, orgs, option):
    """Is the option chosen by whether organizations already work on the gap?"""
    chosen, reason = scoring.suggest_option(rating, orgs)
    assert chosen == option and reason


def test_gap_rows_carry_option_and_reason(filled):
    """Does each gap carry its option's label, the reason and the organizations named?"""
    g = scoring.gaps(filled).set_index("indicator_id")
    assert g.loc["RES2", "suggested_option"] == "come_alongside"
    assert g.loc["RES2", "organizations"] == "Harrow Bend Shelter (fictional)"
    assert g.loc["RST1", "suggested_option"] == "fill_gap"
    assert g.loc["PRE1", "suggested_option"] == "enhance"
    assert set(g["option_label"]) <= set(filled.framework.options.values())


def test_round_scores_one_rule():
    """Is one rounding rule used for a single score and for an array?"""
    values = np.array([34.45, 14.45, 13.35, 2.25])
    assert [scoring.round_scores(float(v)) for v in values] == list(scoring.round_scores(values))
    assert isinstance(scoring.round_scores(1.234), float)
