"""The ``endtrafficking`` command: score, report, templates, validate, and more.

Each subcommand lives in its own module under :mod:`endtrafficking.commands`
and provides:

* ``NAME``: the subcommand's name;
* ``HELP``: one line for ``endtrafficking --help``;
* ``add_arguments(parser)``: its options (an :class:`argparse.ArgumentParser`);
* ``run(args) -> int``: do the work and return the exit status.

To add a subcommand, write such a module and add its import path to
:data:`COMMANDS` below: that one line is the whole registration. Keep heavy
imports inside ``run`` so ``endtrafficking --help`` stays fast.

Exit status: 0 when all went well; 2 for input a person can fix (a
:class:`~endtrafficking.errors.CourseInputError`, printed without a
traceback, or a usage error from argparse).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from endtrafficking import __version__
from endtrafficking.errors import CourseInputError

#: One import path per subcommand, in the order ``--help`` lists them.
COMMANDS: list[str] = [
    "endtrafficking.commands.score",
    "endtrafficking.commands.report",
    "endtrafficking.commands.combine",
    "endtrafficking.commands.compare",
    "endtrafficking.commands.templates",
    "endtrafficking.commands.validate",
    "endtrafficking.commands.grade",
]
EXIT_OK = 0
EXIT_BAD_INPUT = 2


def build_parser(commands: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand (:data:`COMMANDS` by default)."""
    parser = argparse.ArgumentParser(
        prog="endtrafficking",
        description="Tools for the course 'Ending human trafficking in your community'.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for path in COMMANDS if commands is None else commands:
        module = importlib.import_module(path)
        command = sub.add_parser(
            module.NAME, help=module.HELP, description=module.__doc__ or module.HELP
        )
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args) or EXIT_OK)
    except CourseInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # output piped into `head` and closed early
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("stopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
