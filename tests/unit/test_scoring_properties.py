"""Property-based tests (hypothesis) for scoring and for saving.

* every score stays in range;
* raising a rating never lowers its area's coverage (nor the readiness);
* the order of the rows in a CSV does not matter;
* a save followed by a load is lossless in JSON, CSV and XLSX, for any text.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from endtrafficking import scoring
from endtrafficking.aggregate import readiness_levels
from endtrafficking.assessment import Assessment, clean_text
from endtrafficking.framework import load_framework
from endtrafficking.storage import load_assessment, save_assessment, to_csv

FRAMEWORK = load_framework()
IDS = FRAMEWORK.indicator_ids
PROMPTS = [p.id for p in FRAMEWORK.prompts]
N = len(IDS)
TOP = FRAMEWORK.max_rating
LEVELS = {label for _, label in scoring.READINESS_LEVELS}

RATING = st.one_of(st.none(), st.integers(0, TOP))
RATINGS = st.lists(RATING, min_size=N, max_size=N)
#: Any text at all: the model normalises it (clean_text) on the way in.
TEXT = st.text(max_size=30)
#: Function-scoped fixtures (the working folder) are not used by these tests.
FAST = settings(max_examples=100, deadline=None)
SLOW = settings(max_examples=50, deadline=None)


def assessment_from(ratings: list[int | None]) -> Assessment:
    a = Assessment.blank("Property (fictional)", FRAMEWORK)
    for ind, value in zip(IDS, ratings, strict=True):
        a.set_response(ind, rating=value)
    return a


@st.composite
def assessments(draw) -> Assessment:
    """An assessment with any ratings and any text in a few places."""
    a = Assessment(
        framework=FRAMEWORK,
        community=draw(TEXT),
        fictional=draw(st.booleans()),
        context={p: draw(TEXT) for p in draw(st.lists(st.sampled_from(PROMPTS), max_size=3))},
    )
    for ind, value in zip(IDS, draw(RATINGS), strict=True):
        a.set_response(ind, rating=value)
    for ind in draw(st.lists(st.sampled_from(IDS), max_size=4, unique=True)):
        a.set_response(
            ind,
            evidence=draw(TEXT),
            notes=draw(TEXT),
            organizations=draw(st.lists(TEXT, max_size=3)),
        )
    return a


# --------------------------------------------------------------------------- ranges
@FAST
@given(
    arrays(
        float,
        st.tuples(st.integers(1, 8), st.just(N)),
        elements=st.sampled_from([np.nan, 0.0, 1.0, 2.0, 3.0]),
    )
)
def test_vectorized_scores_in_range(ratings):
    """For any ratings of many communities, is every coverage and summary within 0-100?"""
    cov = scoring.coverage_matrix(ratings, FRAMEWORK)
    assert cov.shape == (ratings.shape[0], len(FRAMEWORK.areas))
    assert ((cov >= 0) & (cov <= 100 + 1e-9)).all()
    s = scoring.summary_arrays(cov)
    for key in ("mean", "weakest", "strongest", "balance", "readiness"):
        assert ((s[key] >= -1e-9) & (s[key] <= 100 + 1e-9)).all(), key
    assert (s["weakest"] <= s["readiness"] + 1e-9).all()
    assert (s["readiness"] <= s["mean"] + 1e-9).all()
    assert set(readiness_levels(s["readiness"])) <= LEVELS


@FAST
@given(RATINGS)
def test_one_community_scores_in_range(ratings):
    """For any one community, are coverage, balance, readiness and severities within 0-100?"""
    a = assessment_from(ratings)
    cov = scoring.area_scores(a)["coverage"]
    assert cov.between(0, 100).all()
    ready = scoring.readiness(a)
    assert 0 <= ready.score <= 100 and 0 <= ready.balance.index <= 100
    assert ready.weakest_coverage <= ready.score <= ready.mean_coverage
    assert ready.level in LEVELS
    gaps = scoring.gaps(a)
    assert gaps["severity"].between(0, 100).all()
    assert gaps["severity"].is_monotonic_decreasing
    assert len(gaps) == sum(r is None or r < TOP for r in ratings)


# --------------------------------------------------------------------------- monotonic
@FAST
@given(RATINGS, st.integers(0, N - 1), st.integers(0, TOP))
def test_raising_a_rating_never_lowers_its_area(ratings, index, new):
    """Does raising one rating keep its area's coverage (and readiness) from falling,
    and leave the other areas alone?"""
    old = ratings[index]
    if old is not None and new <= old:
        new, old = old, new  # make it a raise
        ratings = [*ratings[:index], old, *ratings[index + 1 :]]
    before = assessment_from(ratings)
    after = assessment_from([*ratings[:index], new, *ratings[index + 1 :]])
    area = FRAMEWORK.indicator(IDS[index]).area_id
    cov_before = scoring.area_scores(before)["coverage"]
    cov_after = scoring.area_scores(after)["coverage"]
    assert cov_after[area] >= cov_before[area]
    assert cov_after.drop(area).equals(cov_before.drop(area))
    assert scoring.readiness(after).score >= scoring.readiness(before).score


# --------------------------------------------------------------------------- row order
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(assessments(), st.randoms(use_true_random=False))
def test_csv_row_order_does_not_matter(a, rnd):
    """Does a CSV load the same whatever order its rows are in?"""
    lines = list(csv.reader(io.StringIO(to_csv(a))))
    header, body = lines[0], lines[1:]
    rnd.shuffle(body)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *body])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "shuffled.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        assert load_assessment(path, FRAMEWORK) == a


# --------------------------------------------------------------------------- lossless saves
@pytest.mark.parametrize(("suffix", "examples"), [("json", 100), ("csv", 100), ("xlsx", 40)])
def test_save_load_is_lossless(suffix, examples):
    """Does a save followed by a load give back exactly what the model holds, for any text?"""

    @settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(assessments())
    def round_trip(a):
        with tempfile.TemporaryDirectory() as folder:
            path = save_assessment(a, Path(folder) / f"a.{suffix}")
            loaded = load_assessment(path, FRAMEWORK)
        assert loaded == a
        # and the text the model holds is already normalised
        assert loaded.community == clean_text(a.community)

    round_trip()


@FAST
@given(TEXT)
def test_clean_text_is_idempotent_and_saveable(text):
    """Is clean_text stable when applied twice, and free of characters XLSX refuses?"""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    once = clean_text(text)
    assert clean_text(once) == once
    assert once == once.strip()
    assert "\r" not in once and not ILLEGAL_CHARACTERS_RE.search(once)
    once.encode("utf-8")
