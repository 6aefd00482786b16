"""Check a file: a community assessment, a resource inventory or a framework.

Says OK with a short summary, or prints what is wrong, where, and how to fix
it (exit status 2). The kind of file is guessed from its suffix and header
unless --kind says it.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
from pathlib import Path

from endtrafficking.commands.common import add_framework_option, framework_from

NAME = "validate"
HELP = "check an assessment, inventory or framework file and say OK or what to fix"
KINDS = ("auto", "assessment", "inventory", "framework")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``endtrafficking validate``."""
    parser.add_argument("path", type=Path, metavar="PATH", help="the file to check")
    parser.add_argument("--kind", choices=KINDS, default="auto", help="what the file is")
    add_framework_option(parser)


def guess_kind(path: Path) -> str:
    """``framework``, ``inventory`` or ``assessment``, from the suffix and the header."""
    from endtrafficking.inventory import INVENTORY_TABLE, JSON_FORMAT
    from endtrafficking.tables import canonical_header

    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "framework"
    try:
        if suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8-sig"))
            is_inventory = isinstance(data, list) or (
                isinstance(data, dict) and (data.get("format") == JSON_FORMAT or "entries" in data)
            )
            return "inventory" if is_inventory else "assessment"
        if suffix == ".csv":
            first = path.read_bytes().decode("utf-8-sig", errors="replace").splitlines()[0]
            delimiter = max((",", ";", "\t"), key=first.count)
            header = next(csv.reader(io.StringIO(first), delimiter=delimiter))
        elif suffix == ".xlsx":
            from openpyxl import load_workbook

            book = load_workbook(path, read_only=True)
            try:
                first_row = next(book.worksheets[0].iter_rows(max_row=1, values_only=True), ())
                header = [str(v) for v in first_row if v is not None]
            finally:
                book.close()
        else:
            return "assessment"
    except (OSError, ValueError, IndexError, KeyError, StopIteration):
        return "assessment"  # the assessment loader explains what is wrong
    names = {canonical_header(h, INVENTORY_TABLE.aliases) for h in header}
    return "inventory" if "focus_areas" in names and "indicator_id" not in names else "assessment"


def run(args: argparse.Namespace) -> int:
    """Check the file and print OK with a summary (errors propagate to the CLI)."""
    kind = guess_kind(args.path) if args.kind == "auto" else args.kind
    if kind == "framework":
        from endtrafficking.framework import load_framework

        fw = load_framework(args.path)
        print(
            f"OK: {args.path} is a valid framework: {len(fw.areas)} focus areas, "
            f"{len(fw.indicators)} indicators, scale 0-{fw.max_rating}, "
            f"{len(fw.sections)} unrated sections."
        )
        return 0
    framework = framework_from(args)
    if kind == "inventory":
        from endtrafficking.inventory import load_inventory, privacy_notes

        entries = load_inventory(args.path, framework)
        print(f"OK: {args.path} is a valid resource inventory with {len(entries)} organizations.")
        for note in privacy_notes(entries):
            print(f"warning: {note}")
        return 0
    from endtrafficking.privacy import privacy_warnings
    from endtrafficking.storage import load_assessment

    assessment = load_assessment(args.path, framework)
    label = assessment.community or "no community name yet"
    fictional = ", a fictional example" if assessment.fictional else ""
    print(
        f"OK: {args.path} is a valid community assessment ({label}{fictional}): "
        f"{assessment.rated_count} of {len(framework.indicator_ids)} indicators rated."
    )
    texts = {
        **{f"{i} evidence": r.evidence for i, r in assessment.responses.items()},
        **{f"{i} notes": r.notes for i, r in assessment.responses.items()},
        **dict(assessment.context),
    }
    for where, text in texts.items():
        for warning in privacy_warnings(text):
            print(f"warning: {where}: {warning}")
    return 0
