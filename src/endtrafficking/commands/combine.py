"""Combine partners' filled templates into one coalition assessment and a discussion list.

Every FILE is checked first (the usual clear errors, naming the file and the
row), then the files together: one file per partner organization, one
framework version, one community. Nothing is written until every problem is
settled. The combined file (.xlsx, .csv or .json) is an ordinary assessment
that `score`, `report` and the action plan read; it also holds every
partner's rating, the combination rule and an agreed_rating column where the
coordinator records the consensus meeting's decisions.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from endtrafficking.commands.common import add_framework_option, framework_from, output_error

NAME = "combine"
HELP = "combine partners' assessments into one, with a discussion list for the consensus meeting"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``endtrafficking combine``."""
    parser.add_argument("files", type=Path, nargs="+", metavar="FILE", help="partners' files")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        default=Path("combined.xlsx"),
        help="the combined file to write: .xlsx, .csv or .json (default: combined.xlsx)",
    )
    parser.add_argument(
        "--community",
        metavar="NAME",
        help="the combined assessment's community (when files spell it differently)",
    )
    parser.add_argument(
        "--allow-other-versions",
        action="store_true",
        help="combine files made from another framework version (after checking the questions)",
    )
    parser.add_argument(
        "--date", metavar="YYYY-MM-DD", help="the date of the combined assessment (default: today)"
    )
    add_framework_option(parser)


def run(args: argparse.Namespace) -> int:
    """Check, combine, write, and print the discussion list."""
    from endtrafficking.coalition.combined_file import write_combined
    from endtrafficking.coalition.discussion import discussion_list, rank_words
    from endtrafficking.coalition.partners import (
        CoalitionError,
        combine_partner_files,
        read_partner_files,
    )
    from endtrafficking.errors import CourseInputError
    from endtrafficking.storage import parse_date

    framework = framework_from(args)
    try:
        date = parse_date(args.date) if args.date else None
    except ValueError as exc:
        raise CourseInputError(f"{exc}.", fix="give --date as YYYY-MM-DD.") from None
    files, errors = read_partner_files(args.files, framework)
    if errors:
        raise CoalitionError(errors)
    combination = combine_partner_files(
        files,
        framework,
        community=args.community,
        allow_other_versions=args.allow_other_versions,
        assessed_on=date,
    )
    try:
        written = write_combined(combination, args.output)
    except OSError as exc:
        raise output_error(args.output, exc) from None
    print(f"Combined {len(combination.partners)} partners: {'; '.join(combination.partners)}.")
    print(combination.rule)
    items = discussion_list(combination)
    if items:
        print(f"\nDiscussion list ({len(items)} indicators where partners disagree):")
        for order, item in enumerate(items, start=1):
            print(
                f"  {order}. {item.indicator_id} ({item.area}): {item.ratings_text()}. "
                f"If {item.lowest} is right: {rank_words(item.rank_if_lowest)}; "
                f"if {item.highest}: {rank_words(item.rank_if_highest)}."
            )
        print("Record the agreed ratings in the agreed_rating column of the combined file.")
    else:
        print("\nPartners agree within one point on every indicator: nothing to settle.")
    for where in combination.withheld:
        print(f"warning: {where}: left out, it looked like contact details.", file=sys.stderr)
    print(f"Wrote {written}")
    return 0
