"""Score a community assessment: coverage by focus area, balance, readiness and ranked gaps.

PATH is a .csv, .xlsx or .json assessment (the blank template, filled in).
"""

from __future__ import annotations

import argparse
import io
import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from endtrafficking.commands.common import add_framework_option, load

if TYPE_CHECKING:  # heavy imports wait until the command runs
    import pandas as pd

    from endtrafficking.assessment import Assessment

NAME = "score"
HELP = "print the focus-area table, balance, readiness and ranked gaps of an assessment"
FORMATS = ("table", "json", "csv")
AREA_COLUMNS = ["area_id", "area", "coverage", "rated", "indicators", "organizations"]
GAP_COLUMNS = [
    "rank",
    "indicator_id",
    "area",
    "rating",
    "rating_label",
    "severity",
    "suggested_option",
    "option_label",
    "reason",
    "organizations",
    "question",
]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``endtrafficking score``."""
    parser.add_argument("path", type=Path, metavar="PATH", help="the assessment file")
    parser.add_argument(
        "--format", choices=FORMATS, default="table", help="output format (default: table)"
    )
    parser.add_argument(
        "--top", type=int, metavar="N", default=None, help="show only the N most severe gaps"
    )
    add_framework_option(parser)


def _tables(assessment: Assessment, top: int | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    from endtrafficking.scoring import area_scores, gaps

    areas = area_scores(assessment).reset_index()[AREA_COLUMNS]
    gap_frame = gaps(assessment, top=top)
    return areas, gap_frame.reindex(columns=GAP_COLUMNS)


def score_data(assessment: Assessment, top: int | None = None) -> dict[str, Any]:
    """Everything ``score`` reports, as JSON-ready data."""
    from endtrafficking.scoring import readiness

    areas, gap_frame = _tables(assessment, top)
    ready = readiness(assessment)
    ready_data = asdict(ready)
    ready_data.pop("balance")
    return {
        "community": assessment.community,
        "fictional": assessment.fictional,
        "framework_version": assessment.framework.version,
        "areas": json.loads(areas.to_json(orient="records")),
        "balance": asdict(ready.balance),
        "readiness": ready_data,
        "gaps": json.loads(gap_frame.to_json(orient="records")),
    }


def render_table(assessment: Assessment, top: int | None = None) -> str:
    """The human-readable report of ``score``."""
    from endtrafficking.scoring import readiness

    areas, gap_frame = _tables(assessment, top)
    ready = readiness(assessment)
    lines = []
    name = assessment.community or "Unnamed community"
    lines.append(f"Community assessment: {name}")
    if assessment.fictional:
        lines.append("FICTIONAL EXAMPLE: this community and its organizations are invented.")
    lines += ["", ready.summary, "", "Coverage by focus area (0-100):"]
    shown = areas.drop(columns="area_id").rename(columns={"organizations": "organizations named"})
    lines.append(shown.to_string(index=False))
    lines += ["", f"Balance: {ready.balance.index:.0f}/100. {ready.balance.message}", ""]
    if gap_frame.empty:
        lines.append("No gaps: every indicator is rated at the top of the scale.")
    else:
        total = "" if top is None else f" (top {len(gap_frame)})"
        lines.append(f"Gaps, most severe first{total}:")
        view = gap_frame[
            ["rank", "indicator_id", "area", "rating_label", "severity", "option_label"]
        ].rename(
            columns={
                "indicator_id": "indicator",
                "rating_label": "rating",
                "option_label": "suggested option",
            }
        )
        lines.append(view.to_string(index=False))
    return "\n".join(lines) + "\n"


def render_csv(assessment: Assessment, top: int | None = None) -> str:
    """Two CSV blocks, the focus areas then the ranked gaps, separated by a blank line."""
    areas, gap_frame = _tables(assessment, top)
    buffer = io.StringIO()
    areas.to_csv(buffer, index=False, lineterminator="\n")
    buffer.write("\n")
    gap_frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def run(args: argparse.Namespace) -> int:
    """Print the scores of the assessment at ``args.path``."""
    if args.top is not None and args.top < 1:
        from endtrafficking.errors import CourseInputError

        raise CourseInputError(
            f"--top must be 1 or more, not {args.top}.", fix="give a positive number, e.g. --top 5."
        )
    assessment = load(args)
    if args.format == "json":
        print(json.dumps(score_data(assessment, args.top), indent=2, ensure_ascii=False))
    elif args.format == "csv":
        print(render_csv(assessment, args.top), end="")
    else:
        print(render_table(assessment, args.top), end="")
    return 0
