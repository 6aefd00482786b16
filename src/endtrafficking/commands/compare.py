"""Compare two dated assessments of one community: what moved between OLD and NEW.

Per focus area the change in coverage, the indicators that improved or fell,
and whether the weakest area changed. For the same in an HTML report with a
then-and-now radar chart: `endtrafficking report NEW --since OLD`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from endtrafficking.commands.common import add_framework_option, framework_from

NAME = "compare"
HELP = "compare an earlier assessment with a later one (progress over time)"
FORMATS = ("table", "json")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``endtrafficking compare``."""
    parser.add_argument("old", type=Path, metavar="OLD", help="the earlier assessment")
    parser.add_argument("new", type=Path, metavar="NEW", help="the later assessment")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format")
    add_framework_option(parser)


def run(args: argparse.Namespace) -> int:
    """Print the comparison."""
    from endtrafficking.coalition.compare import (
        compare_assessments,
        comparison_data,
        comparison_lines,
    )
    from endtrafficking.storage import load_assessment

    framework = framework_from(args)
    comparison = compare_assessments(
        load_assessment(args.old, framework), load_assessment(args.new, framework)
    )
    if args.format == "json":
        print(json.dumps(comparison_data(comparison), indent=2, ensure_ascii=False))
    else:
        print("\n".join(comparison_lines(comparison)))
    return 0
