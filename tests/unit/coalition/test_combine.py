"""Combining partners' ratings: the median rule, spread, disagreement, merged text, agreed ratings."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from endtrafficking.assessment import Assessment
from endtrafficking.coalition.combine import (
    WITHHELD,
    combine_assessments,
    combined_rating,
    combined_ratings,
    spreads,
)
from endtrafficking.framework import load_framework
from endtrafficking.scoring import area_scores, gaps, readiness

FRAMEWORK = load_framework()
IDS = FRAMEWORK.indicator_ids
RATING = st.one_of(st.none(), st.integers(0, FRAMEWORK.max_rating))


def partner(name: str, ratings: list[int | None]) -> Assessment:
    assessment = Assessment.blank("Testville (fictional)", FRAMEWORK)
    assessment.partner = name
    for ind_id, rating in zip(IDS, ratings, strict=True):
        assessment.set_response(ind_id, rating=rating)
    return assessment


PARTNER_RATINGS = st.lists(
    st.lists(RATING, min_size=len(IDS), max_size=len(IDS)), min_size=1, max_size=6
)


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ([2], 2),
        ([1, 2], 1),
        ([0, 3], 1),
        ([1, 2, 3], 2),
        ([3, 0, None, 2], 2),
        ([1, 1, 2, 3], 1),
        ([None, None], None),
        ([], None),
    ],
)
def test_median_rule(ratings, expected):
    """Is the combined rating the median, a half rounded down, not rated left out?"""
    assert combined_rating(ratings) == expected


@settings(max_examples=60, deadline=None)
@given(PARTNER_RATINGS)
def test_one_file_gives_that_files_scores(all_ratings):
    """Does combining one file give that file's ratings, scores and ranked gaps?"""
    only = partner("Only partner (fictional)", all_ratings[0])
    combined = combine_assessments([only], FRAMEWORK).to_assessment()
    assert [combined.responses[i].rating for i in IDS] == [only.responses[i].rating for i in IDS]
    assert area_scores(combined).equals(area_scores(only))
    assert readiness(combined) == readiness(only)
    assert gaps(combined).equals(gaps(only))


@settings(max_examples=80, deadline=None)
@given(PARTNER_RATINGS)
def test_combined_rating_lies_between_min_and_max(all_ratings):
    """Does every combined rating lie between the partners' lowest and highest rating?"""
    matrix = np.array(all_ratings, dtype=float).T
    combined = combined_ratings(matrix)
    for row, value in zip(matrix, combined, strict=True):
        given_ratings = row[~np.isnan(row)]
        if given_ratings.size == 0:
            assert np.isnan(value)
        else:
            assert given_ratings.min() <= value <= given_ratings.max()
            assert value in given_ratings or value == np.floor(value)


@settings(max_examples=40, deadline=None)
@given(PARTNER_RATINGS, st.randoms(use_true_random=False))
def test_partner_order_does_not_matter(all_ratings, rng):
    """Does shuffling the partners' files change nothing in the combined assessment?"""
    files = [partner(f"Partner {chr(65 + n)} (fictional)", r) for n, r in enumerate(all_ratings)]
    shuffled = list(files)
    rng.shuffle(shuffled)
    first, second = combine_assessments(files, FRAMEWORK), combine_assessments(shuffled, FRAMEWORK)
    assert first.partners == second.partners
    assert np.array_equal(first.ratings, second.ratings, equal_nan=True)
    assert first.to_assessment() == second.to_assessment()
    assert first.disagreements() == second.disagreements()


@settings(max_examples=40, deadline=None)
@given(st.lists(RATING, min_size=len(IDS), max_size=len(IDS)), st.integers(1, 5))
def test_no_disagreement_when_all_agree(ratings, copies):
    """Are there no disagreements when every partner gives the same ratings?"""
    files = [partner(f"Partner {n} (fictional)", ratings) for n in range(copies)]
    assert combine_assessments(files, FRAMEWORK).disagreements() == []


def test_spread_and_disagreement(partners):
    """Is the spread highest minus lowest, and a range of 2 or more a disagreement?"""
    combination = combine_assessments(partners, FRAMEWORK)
    assert combination.spread("RST1") == 2  # 0, 2, 1
    assert combination.spread("PRE2") == 2  # 1, 3, 2
    assert "RST1" in combination.disagreements() and "PRE2" in combination.disagreements()
    assert combination.spread("JUS1") == 0 and "JUS1" not in combination.disagreements()
    assert spreads(np.array([[np.nan, np.nan]]))[0] != spreads(np.array([[np.nan, np.nan]]))[0]


def test_evidence_and_organizations_keep_their_partner(partners):
    """Is each partner's evidence merged with its organization's name, and organizations kept?"""
    partners[0].set_response(
        "RST2",
        evidence="Two beds for young people (aggregate).",
        organizations=["Elderbrook Youth Shelter (fictional)"],
    )
    partners[1].set_response("RST2", organizations=["Elderbrook Legal Aid (fictional)"])
    combination = combine_assessments(partners, FRAMEWORK)
    merged = combination.to_assessment().responses["RST2"]
    assert (
        "Elderbrook Youth Shelter (fictional): Two beds for young people (aggregate)."
        in merged.evidence
    )
    assert set(merged.organizations) >= {
        "Elderbrook Youth Shelter (fictional)",
        "Elderbrook Legal Aid (fictional)",
    }
    by_partner = combination.organizations_by_partner["RST2"]
    assert "Elderbrook School District (fictional): Elderbrook Legal Aid (fictional)" in by_partner


def test_contact_details_are_left_out(partners):
    """Is free text that looks like a person's email or phone left out, and the place named?"""
    partners[2].set_response("IDE1", evidence="Ask Jane at jane.doe@example.org or 555 0134 2222")
    combination = combine_assessments(partners, FRAMEWORK)
    text = combination.to_assessment().responses["IDE1"].evidence
    assert "jane.doe" not in text and "555" not in text and WITHHELD in text
    assert combination.withheld == ("Elderbrook General Hospital (fictional), IDE1 evidence",)


def test_agreed_rating_replaces_the_combined_one(partners):
    """Does an agreed rating count in the assessment, and can it be cleared or refused?"""
    combination = combine_assessments(partners, FRAMEWORK)
    assert combination.to_assessment().responses["RST1"].rating == 1
    combination.agree("RST1", 3)
    assert combination.to_assessment().responses["RST1"].rating == 3
    assert combination.merged.responses["RST1"].rating == 1  # the rule's value is kept
    combination.agree("RST1", None)
    assert combination.to_assessment().responses["RST1"].rating == 1
    with pytest.raises(ValueError):
        combination.agree("RST1", 7)
    with pytest.raises(ValueError):
        combination.agree("NOPE1", 1)


def test_community_and_fictional_label(partners):
    """Does the combined assessment keep the community and say fictional if any partner does?"""
    combination = combine_assessments(partners, FRAMEWORK, assessed_on="2025-04-01")
    result = combination.to_assessment()
    assert result.community == partners[0].community and result.fictional
    assert result.assessed_on == "2025-04-01" and result.partner == ""
    assert "median" in combination.rule and "rounded down" in combination.rule
