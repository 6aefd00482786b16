"""Options and helpers shared by several subcommands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from endtrafficking.errors import CourseInputError

if TYPE_CHECKING:  # heavy imports wait until a command runs, so --help stays fast
    from endtrafficking.assessment import Assessment
    from endtrafficking.framework import Framework


def add_framework_option(parser: argparse.ArgumentParser) -> None:
    """``--framework FILE``: use a host's framework instead of the course's own."""
    parser.add_argument(
        "--framework",
        type=Path,
        metavar="FILE",
        help="a framework.yaml to use instead of the course's own",
    )


def framework_from(args: argparse.Namespace) -> Framework:
    """The framework named by ``--framework``, or the course's own."""
    from endtrafficking.framework import load_framework

    return load_framework(getattr(args, "framework", None))


def load(args: argparse.Namespace) -> Assessment:
    """The assessment named by ``args.path``, read with the chosen framework."""
    from endtrafficking.storage import load_assessment

    return load_assessment(args.path, framework_from(args))


def output_error(path: Path, exc: OSError) -> CourseInputError:
    """A clear error for a file that cannot be written."""
    return CourseInputError(
        f"the file cannot be written ({exc.strerror or exc.__class__.__name__}).",
        fix="choose another file name or folder with -o, or check that the folder is writable.",
        file=path,
    )
