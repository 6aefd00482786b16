"""The discussion list for the consensus meeting: where partners disagree, and how much it matters.

An indicator is on the list when the partners' ratings span
:data:`~endtrafficking.coalition.combine.DISAGREEMENT_RANGE` or more points.
The list is ordered by how much the disagreement changes the ranked gaps:
the course's own gap ranking (:func:`endtrafficking.scoring.gaps`) is worked
out twice, once with the indicator at the lowest partner's rating and once at
the highest, everything else at the combined rating. The number of places
the gaps move between the two (summed over every indicator) comes first; ties
go to the wider spread, then to framework order. The order uses the combined
ratings only, so the agenda does not reshuffle as decisions are recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from endtrafficking.assessment import Assessment
from endtrafficking.coalition.combine import Combination
from endtrafficking.scoring import gaps


@dataclass(frozen=True)
class DiscussionItem:
    """One indicator to settle at the meeting."""

    indicator_id: str
    area: str
    question: str
    ratings: tuple[tuple[str, int | None], ...]
    lowest: int
    highest: int
    combined: int | None
    rank_if_lowest: int | None
    rank_if_highest: int | None
    places_moved: int
    agreed: int | None

    @property
    def spread(self) -> int:
        """Highest minus lowest partner rating."""
        return self.highest - self.lowest

    def ratings_text(self) -> str:
        """Each partner's rating, as "Org: 2; Other org: not rated"."""
        return "; ".join(
            f"{name}: {'not rated' if value is None else value}" for name, value in self.ratings
        )


def _ranks(assessment: Assessment) -> dict[str, int]:
    frame = gaps(assessment)
    return dict(zip(frame["indicator_id"], frame["rank"], strict=True))


def _with_rating(base: Assessment, indicator_id: str, rating: int) -> Assessment:
    copy = Assessment(framework=base.framework, responses=dict(base.responses))
    copy.set_response(indicator_id, rating=rating)
    return copy


def discussion_list(combination: Combination) -> list[DiscussionItem]:
    """The indicators partners disagree on, the one that changes the ranked gaps most first.

    The ranks are worked out once per set of partners' ratings; the agreed
    ratings shown are always the current ones.
    """
    key = ("discussion", combination.ratings.tobytes())
    if key not in combination.cache:
        combination.cache.clear()
        combination.cache[key] = _ranked_items(combination)
    return [
        replace(item, agreed=combination.agreed.get(item.indicator_id))
        for item in combination.cache[key]
    ]


def _ranked_items(combination: Combination) -> list[DiscussionItem]:
    fw = combination.framework
    base = combination.merged
    combined = combination.combined()
    not_a_gap = len(fw.indicator_ids) + 1
    items = []
    for order, indicator_id in enumerate(combination.disagreements()):
        ratings = combination.partner_ratings(indicator_id)
        given = [r for r in ratings.values() if r is not None]
        low, high = min(given), max(given)
        ranks_low = _ranks(_with_rating(base, indicator_id, low))
        ranks_high = _ranks(_with_rating(base, indicator_id, high))
        moved = sum(
            abs(ranks_low.get(i, not_a_gap) - ranks_high.get(i, not_a_gap))
            for i in fw.indicator_ids
        )
        indicator = fw.indicator(indicator_id)
        items.append(
            (
                (-moved, -(high - low), order),
                DiscussionItem(
                    indicator_id=indicator_id,
                    area=fw.area(indicator.area_id).name,
                    question=indicator.question,
                    ratings=tuple(ratings.items()),
                    lowest=low,
                    highest=high,
                    combined=combined[indicator_id],
                    rank_if_lowest=ranks_low.get(indicator_id),
                    rank_if_highest=ranks_high.get(indicator_id),
                    places_moved=moved,
                    agreed=None,
                ),
            )
        )
    return [item for _key, item in sorted(items, key=lambda pair: pair[0])]


def rank_words(rank: int | None) -> str:
    """A gap rank in words: "gap 3" or "not a gap"."""
    return "not a gap" if rank is None else f"gap {rank}"
