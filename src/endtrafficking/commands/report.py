"""Write a self-contained HTML report of a community assessment, for community partners.

The report embeds its charts, so the one file can be emailed or printed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from endtrafficking.commands.common import add_framework_option, framework_from, output_error

NAME = "report"
HELP = "write a self-contained HTML report of an assessment"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``endtrafficking report``."""
    parser.add_argument("path", type=Path, metavar="PATH", help="the assessment file")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="the HTML file to write (default: PATH's name with _report.html)",
    )
    parser.add_argument(
        "--inventory",
        type=Path,
        metavar="FILE",
        help="a resource inventory (.csv, .xlsx or .json) to include",
    )
    parser.add_argument(
        "--since",
        type=Path,
        metavar="OLD",
        help="an earlier assessment: add the progress since then (then-and-now chart)",
    )
    add_framework_option(parser)


def run(args: argparse.Namespace) -> int:
    """Write the report and say where it is."""
    from endtrafficking.coalition.combined_file import read_combination
    from endtrafficking.inventory import load_inventory
    from endtrafficking.report import write_report
    from endtrafficking.storage import load_assessment

    framework = framework_from(args)
    assessment = load_assessment(args.path, framework)
    coalition = read_combination(args.path, framework)
    since = load_assessment(args.since, framework) if args.since else None
    inventory = load_inventory(args.inventory, framework) if args.inventory else None
    output = args.output or args.path.with_name(f"{args.path.stem}_report.html")
    try:
        written = write_report(assessment, output, inventory, coalition=coalition, since=since)
    except OSError as exc:
        raise output_error(output, exc) from None
    print(f"Wrote {written}")
    return 0
