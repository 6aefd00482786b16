"""Combining partners' assessments into one: the rule, the spread, and the agreed ratings.

The rule (:data:`RULE`, stated in every combined file and report): the
combined rating of an indicator is the **median** of the ratings the partners
gave it. A partner who left it "not rated" is not counted, and if nobody rated
it, it stays not rated. When the median falls between two ratings (an even number
of partners), it is **rounded down** to a whole rating (1.5 becomes 1), so a
possible gap stays on the list until the partners agree it is closed.
Partners **disagree** when their ratings span :data:`DISAGREEMENT_RANGE` or
more points.

Evidence, organizations and notes are merged with the partner organization
that gave them. Text that looks like a person's contact details is left out
(:func:`endtrafficking.privacy.privacy_warnings`) and the coordinator is told
where. The coordinator's agreed ratings, recorded at the consensus meeting,
make :meth:`Combination.to_assessment` an ordinary assessment.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from endtrafficking.aggregate import ratings_matrix
from endtrafficking.assessment import Assessment, Response
from endtrafficking.framework import Framework
from endtrafficking.privacy import privacy_warnings

#: Partners disagree when their ratings of an indicator span this many points or more.
DISAGREEMENT_RANGE = 2
#: What replaces free text that looked like a person's contact details.
WITHHELD = (
    "[left out of the combined file: it looked like contact details; see the partner's own file]"
)


def rule_text(framework: Framework) -> str:
    """The combination rule in plain words, for files and reports."""
    top = framework.max_rating
    return (
        "The combined rating of an indicator is the median of the ratings the partners gave "
        "it. A partner who left it not rated is not counted; if no partner rated it, it stays "
        "not rated. When the median falls between two ratings (an even number of partners), "
        "it is rounded down to a whole rating (1.5 becomes 1), so a possible gap stays visible "
        f"until the partners agree. Partners disagree when their ratings on the 0-{top} scale "
        f"are {DISAGREEMENT_RANGE} or more points apart. Ratings the partners agreed at the "
        "consensus meeting replace the combined rating."
    )


def combined_ratings(matrix: np.ndarray) -> np.ndarray:
    """The rule, for every row of an (indicators x partners) matrix: the median, rounded down.

    NaN (not rated) is left out; a row nobody rated gives NaN.
    """
    matrix = np.atleast_2d(np.asarray(matrix, dtype=float))
    rows = np.arange(len(matrix))
    if matrix.shape[1] == 0:
        return np.full(len(matrix), np.nan)
    ordered = np.sort(matrix, axis=1)  # NaN sorts last
    counts = np.sum(~np.isnan(matrix), axis=1)
    lower = ordered[rows, np.maximum(counts - 1, 0) // 2]
    upper = ordered[rows, np.maximum(counts, 1) // 2 - (counts == 0)]
    median = np.floor((lower + upper) / 2.0)
    return np.where(counts > 0, median, np.nan)


def combined_rating(ratings: Sequence[int | None]) -> int | None:
    """The rule for one indicator: the median of the ratings given, rounded down (None if none)."""
    row = np.array([[np.nan if r is None else float(r) for r in ratings]], dtype=float)
    value = combined_ratings(row)[0]
    return None if np.isnan(value) else int(value)


def spreads(matrix: np.ndarray) -> np.ndarray:
    """Highest minus lowest rating of each row (NaN where nobody rated)."""
    matrix = np.atleast_2d(np.asarray(matrix, dtype=float))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows give NaN, as meant
        return np.nanmax(matrix, axis=1) - np.nanmin(matrix, axis=1)


def _rating(value: float) -> int | None:
    return None if np.isnan(value) else int(value)


@dataclass
class Combination:
    """Partners' ratings side by side, the merged text, and the agreed ratings.

    ``ratings`` has one row per indicator (framework order) and one column per
    partner (``partners`` order, sorted by name); NaN is "not rated".
    ``merged`` holds the merged evidence, organizations and notes and the
    combined ratings; ``agreed`` the coordinator's decisions.
    """

    framework: Framework
    partners: tuple[str, ...]
    ratings: np.ndarray
    merged: Assessment
    agreed: dict[str, int] = field(default_factory=dict)
    withheld: tuple[str, ...] = ()
    #: Per indicator, the organizations each partner named ("Partner: Org; Org" lines).
    organizations_by_partner: dict[str, str] = field(default_factory=dict)
    #: Results worked out once from the partners' ratings (the discussion list's ranks).
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def rule(self) -> str:
        """The combination rule in plain words."""
        return rule_text(self.framework)

    def _row(self, indicator_id: str) -> int:
        return self.framework.indicator_ids.index(indicator_id)

    def combined(self) -> dict[str, int | None]:
        """The combined rating of every indicator, by the rule."""
        values = combined_ratings(self.ratings)
        return {i: _rating(v) for i, v in zip(self.framework.indicator_ids, values, strict=True)}

    def spread(self, indicator_id: str) -> int | None:
        """Highest minus lowest partner rating (None if nobody rated it)."""
        return _rating(spreads(self.ratings[self._row(indicator_id)][None, :])[0])

    def partner_ratings(self, indicator_id: str) -> dict[str, int | None]:
        """Each partner's rating of one indicator."""
        row = self.ratings[self._row(indicator_id)]
        return {p: _rating(v) for p, v in zip(self.partners, row, strict=True)}

    def disagreements(self) -> list[str]:
        """Indicators the partners disagree on (framework order)."""
        spread = spreads(self.ratings)
        ids = self.framework.indicator_ids
        return [i for i, s in zip(ids, spread, strict=True) if s >= DISAGREEMENT_RANGE]

    def agree(self, indicator_id: str, rating: int | None) -> None:
        """Record the rating the partners agreed on (None clears it)."""
        self._row(indicator_id)  # ValueError for an unknown id
        if rating is None:
            self.agreed.pop(indicator_id, None)
            return
        if isinstance(rating, bool) or not 0 <= int(rating) <= self.framework.max_rating:
            raise ValueError(f"rating {rating!r} is not on the scale 0-{self.framework.max_rating}")
        self.agreed[indicator_id] = int(rating)

    def to_assessment(self) -> Assessment:
        """The coalition's assessment: agreed ratings where recorded, else the combined rule."""
        merged = self.merged
        out = Assessment(
            framework=self.framework,
            community=merged.community,
            fictional=merged.fictional,
            responses=dict(merged.responses),
            context=dict(merged.context),
            assessed_on=merged.assessed_on,
        )
        for indicator_id, rating in self.agreed.items():
            out.set_response(indicator_id, rating=rating)
        return out


def _screen(text: str, where: str, withheld: list[str]) -> str:
    if text and privacy_warnings(text):
        withheld.append(where)
        return WITHHELD
    return text


def _merge_text(items: list[tuple[str, str]]) -> str:
    return "\n".join(f"{partner}: {text}" for partner, text in items if text)


def _merged_response(
    indicator_id: str, partners: Sequence[tuple[str, Assessment]], withheld: list[str]
) -> Response:
    evidence, notes, organizations = [], [], []
    for name, assessment in partners:
        response = assessment.responses[indicator_id]
        evidence.append(
            (name, _screen(response.evidence, f"{name}, {indicator_id} evidence", withheld))
        )
        notes.append((name, _screen(response.notes, f"{name}, {indicator_id} notes", withheld)))
        for org in response.organizations:
            if privacy_warnings(org):
                withheld.append(f"{name}, {indicator_id} organizations involved")
            else:
                organizations.append(org)
    return Response(
        evidence=_merge_text(evidence), organizations=organizations, notes=_merge_text(notes)
    )


def combine_assessments(
    assessments: Sequence[Assessment],
    framework: Framework,
    community: str | None = None,
    assessed_on: str | None = None,
) -> Combination:
    """Combine partners' assessments (each names its partner in ``assessment.partner``).

    Partners are put in name order, so the order the files came in changes nothing.
    The checks of :mod:`.partners` (one file per partner, same framework and
    community) come first; this function does the arithmetic and the merging.
    """
    partners = sorted(
        ((a.partner or f"Partner {n}", a) for n, a in enumerate(assessments, start=1)),
        key=lambda pair: (pair[0].casefold(), pair[0]),
    )
    ordered = [a for _name, a in partners]
    matrix = ratings_matrix(ordered, framework).T.reshape(
        len(framework.indicator_ids), len(ordered)
    )
    withheld: list[str] = []
    names = [a.community for a in ordered if a.community]
    merged = Assessment(
        framework=framework,
        community=community if community is not None else (names[0] if names else ""),
        fictional=any(a.fictional for a in ordered),
        assessed_on=assessed_on or dt.date.today().isoformat(),
    )
    attribution = {}
    for indicator_id in framework.indicator_ids:
        merged.responses[indicator_id] = _merged_response(indicator_id, partners, withheld)
        attribution[indicator_id] = _merge_text(
            [
                (
                    name,
                    "; ".join(
                        o
                        for o in a.responses[indicator_id].organizations
                        if not privacy_warnings(o)
                    ),
                )
                for name, a in partners
            ]
        )
    for prompt in framework.prompts:
        answers = [
            (name, _screen(a.context.get(prompt.id, ""), f"{name}, {prompt.id}", withheld))
            for name, a in partners
        ]
        merged.context[prompt.id] = _merge_text(answers)
    combination = Combination(
        framework=framework,
        partners=tuple(name for name, _a in partners),
        ratings=matrix,
        merged=merged,
        withheld=tuple(withheld),
        organizations_by_partner=attribution,
    )
    for indicator_id, rating in combination.combined().items():
        merged.set_response(indicator_id, rating=rating)
    return combination
