"""Score and aggregate 3,000 synthetic community assessments, as a statewide coalition would.

Two ways, on the same 3,000 Assessment objects:

1. vectorized: ``aggregate.aggregate`` (which builds the communities x indicators
   ratings matrix from the objects) and ``aggregate.cohort_summary``;
2. one by one: ``scoring.area_scores`` and ``scoring.readiness`` for each
   assessment in a Python loop, as a notebook would for one community.

It checks that both give the same numbers, and prints the times. Building the
3,000 objects is needed by both ways; it is timed and printed on its own line.
The LAST line is the key figure:

    vectorized: X.XXX s for 3000 assessments; loop: Y.YY s; speed-up: ZZx

Run: ``.venv/bin/python benchmarks/score_3000.py [--communities N] [--seed S] [--repeats R]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from endtrafficking import scoring
from endtrafficking.aggregate import aggregate, cohort_summary
from endtrafficking.assessment import Assessment, Response
from endtrafficking.framework import Framework, load_framework

COMMUNITIES = 3000
SEED = 20240601
#: The vectorized path is timed this many times and the fastest run kept (as
#: timeit does); the loop, 3,000 calls long, is timed once.
REPEATS = 5
#: Share of indicators a community team has not rated yet.
UNRATED_SHARE = 0.12
#: Targets from issue 2.
TARGET_SECONDS = 1.0
TARGET_SPEEDUP = 50.0


def synthetic_ratings(n: int, framework: Framework, seed: int) -> np.ndarray:
    """Ratings 0..max with NaN gaps; each community is stronger in some areas than others."""
    rng = np.random.default_rng(seed)
    top = framework.max_rating
    sizes = [len(area.indicators) for area in framework.areas]
    # A community's overall level, and each area's distance from it: uneven on
    # purpose, so that some communities hide a weak area behind strong ones.
    overall = rng.uniform(0.3, top - 0.3, size=(n, 1))
    area_level = overall + rng.normal(0.0, 0.5, size=(n, len(sizes)))
    level = np.repeat(area_level, sizes, axis=1)
    ratings = np.clip(np.rint(level + rng.normal(0.0, 0.7, size=level.shape)), 0, top)
    ratings[rng.random(ratings.shape) < UNRATED_SHARE] = np.nan
    return ratings


def build_assessments(ratings: np.ndarray, framework: Framework) -> list[Assessment]:
    """Assessment objects holding the ratings (None where NaN)."""
    ids = framework.indicator_ids
    out = []
    for number, row in enumerate(ratings.tolist(), start=1):
        responses = {
            ind: Response(rating=None if value != value else int(value))
            for ind, value in zip(ids, row, strict=True)
        }
        out.append(
            Assessment(
                framework=framework,
                community=f"Synthetic community {number:04d}",
                fictional=True,
                responses=responses,
            )
        )
    return out


def score_one_by_one(assessments: list[Assessment]) -> dict[str, np.ndarray]:
    """The loop a notebook runs for one community, run for every community."""
    coverage, score, mean, weakest, bal, level, weakest_area = [], [], [], [], [], [], []
    for assessment in assessments:
        areas = scoring.area_scores(assessment)
        ready = scoring.readiness(assessment)
        coverage.append(areas["coverage"].to_numpy())
        score.append(ready.score)
        mean.append(ready.mean_coverage)
        weakest.append(ready.weakest_coverage)
        bal.append(ready.balance.index)
        level.append(ready.level)
        weakest_area.append(ready.balance.weakest)
    return {
        "coverage": np.vstack(coverage),
        "readiness": np.array(score),
        "mean": np.array(mean),
        "weakest": np.array(weakest),
        "balance": np.array(bal),
        "level": np.array(level, dtype=object),
        "weakest_area": np.array(weakest_area, dtype=object),
    }


def check_same(table, loop: dict[str, np.ndarray], framework: Framework) -> None:
    """Fail loudly if the two ways disagree on any number or label."""
    areas = [area.name for area in framework.areas]
    np.testing.assert_allclose(table[areas].to_numpy(), loop["coverage"], rtol=0, atol=1e-9)
    for column in ("readiness", "mean", "weakest", "balance"):
        np.testing.assert_allclose(
            table[column].to_numpy(), loop[column], rtol=0, atol=1e-9, err_msg=column
        )
    for column in ("level", "weakest_area"):
        mismatched = int((table[column].to_numpy() != loop[column]).sum())
        assert mismatched == 0, f"{column}: {mismatched} communities differ"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=COMMUNITIES)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--repeats", type=int, default=REPEATS)
    args = parser.parse_args(argv)
    n = args.communities

    framework = load_framework()
    ratings = synthetic_ratings(n, framework, args.seed)

    start = time.perf_counter()
    assessments = build_assessments(ratings, framework)
    build_s = time.perf_counter() - start

    runs = []
    for _ in range(max(args.repeats, 1)):
        start = time.perf_counter()
        table = aggregate(assessments, framework)
        cohort = cohort_summary(table)
        runs.append(time.perf_counter() - start)
    vector_s = min(runs)

    start = time.perf_counter()
    loop = score_one_by_one(assessments)
    loop_s = time.perf_counter() - start

    check_same(table, loop, framework)
    speedup = loop_s / vector_s
    rated = np.isfinite(ratings).mean() * 100

    print(
        f"{n} synthetic communities x {len(framework.indicator_ids)} indicators "
        f"({rated:.0f}% rated), seed {args.seed}"
    )
    print(f"building {n} Assessment objects (input to both ways, timed apart): {build_s:.3f} s")
    # scoring.balance's rule: a strong area hides a weak one.
    hidden = (100.0 - table["balance"] >= scoring.IMBALANCE_SPREAD) & (
        table["weakest"] < scoring.WEAK_AREA
    )
    print(
        f"weakest area across the region: {cohort['mean'].idxmin()} "
        f"(mean coverage {cohort['mean'].min():.1f}); communities where strength in one "
        f"area hides a gap in another: {int(hidden.sum())}"
    )
    print("vectorized and one-by-one results agree on every community: yes")
    print(
        f"vectorized runs: fastest {vector_s:.3f} s, slowest {max(runs):.3f} s "
        f"of {len(runs)}; loop timed once"
    )
    print(
        f"end to end, building the objects included: vectorized {build_s + vector_s:.3f} s, "
        f"loop {build_s + loop_s:.2f} s"
    )
    met = vector_s <= TARGET_SECONDS and speedup >= TARGET_SPEEDUP
    print(
        f"target (<= {TARGET_SECONDS:.0f} s, >= {TARGET_SPEEDUP:.0f}x): {'met' if met else 'MISSED'}"
    )
    print(
        f"vectorized: {vector_s:.3f} s for {n} assessments; loop: {loop_s:.2f} s; "
        f"speed-up: {speedup:.0f}x"
    )


if __name__ == "__main__":
    main()
