"""The discussion list: disagreements, ordered by how much they change the ranked gaps."""

from __future__ import annotations

from endtrafficking.assessment import Assessment
from endtrafficking.coalition.combine import combine_assessments
from endtrafficking.coalition.discussion import discussion_list, rank_words
from endtrafficking.framework import load_framework
from endtrafficking.scoring import gaps

FRAMEWORK = load_framework()


def test_list_holds_exactly_the_disagreements(partners):
    """Is every indicator with a range of 2 or more on the list, and nothing else?"""
    combination = combine_assessments(partners, FRAMEWORK)
    items = discussion_list(combination)
    assert sorted(i.indicator_id for i in items) == sorted(combination.disagreements())
    assert all(i.spread >= 2 for i in items)


def test_empty_when_everyone_agrees(partners):
    """Is the list empty when all partners gave the same ratings?"""
    same = [partners[0]] * 3
    assert discussion_list(combine_assessments(same, FRAMEWORK)) == []


def test_order_follows_the_change_in_ranked_gaps(partners):
    """Does the item that moves the ranked gaps most come first, with ranks from scoring.gaps?"""
    combination = combine_assessments(partners, FRAMEWORK)
    items = discussion_list(combination)
    moved = [i.places_moved for i in items]
    assert moved == sorted(moved, reverse=True)
    first = items[0]
    low = Assessment(framework=FRAMEWORK, responses=dict(combination.merged.responses))
    low.set_response(first.indicator_id, rating=first.lowest)
    ranked = gaps(low)
    expected = int(ranked.loc[ranked["indicator_id"] == first.indicator_id, "rank"].iloc[0])
    assert first.rank_if_lowest == expected
    assert rank_words(None) == "not a gap" and rank_words(3) == "gap 3"


def test_an_indicator_that_closes_a_gap_outranks_a_small_shift(partners):
    """Does a 0-versus-3 disagreement in a weak area come before a 1-versus-3 one in a strong area?"""
    partners[0].set_response("RST4", rating=0)
    partners[1].set_response("RST4", rating=3)
    partners[0].set_response("JUS4", rating=1)
    partners[1].set_response("JUS4", rating=3)
    items = discussion_list(combine_assessments(partners, FRAMEWORK))
    order = [i.indicator_id for i in items]
    assert order.index("RST4") < order.index("JUS4")


def test_agreed_ratings_are_shown_without_reordering(partners):
    """Does recording a decision show it on the item and leave the order as it was?"""
    combination = combine_assessments(partners, FRAMEWORK)
    before = [i.indicator_id for i in discussion_list(combination)]
    combination.agree(before[-1], 2)
    after = discussion_list(combination)
    assert [i.indicator_id for i in after] == before and after[-1].agreed == 2
    assert "not rated" in after[0].ratings_text() or ":" in after[0].ratings_text()
