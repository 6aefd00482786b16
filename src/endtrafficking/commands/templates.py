"""Write the blank templates (assessment CSV/XLSX, inventory CSV/XLSX, printable HTML).

They are generated from the framework, so a host who replaces framework.yaml
runs this again to get matching templates. Unchanged files are left alone.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from endtrafficking.commands.common import add_framework_option, framework_from, output_error

NAME = "templates"
HELP = "write the blank templates generated from the framework"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``endtrafficking templates``."""
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        required=True,
        help="the folder to write to (for example assessments_templates)",
    )
    add_framework_option(parser)


def run(args: argparse.Namespace) -> int:
    """Write the templates and list what changed."""
    from endtrafficking.blank_templates import write_templates

    try:
        written = write_templates(args.out, framework_from(args))
    except OSError as exc:
        raise output_error(args.out, exc) from None
    if not written:
        print(f"The templates in {args.out} are up to date.")
    for path in written:
        print(f"Wrote {path}")
    return 0
