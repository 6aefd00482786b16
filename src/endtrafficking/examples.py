"""The filled example for a FICTIONAL community, used in lessons, tests and demos.

"Elderbrook County (fictional)" is invented, and so is every organization in
it; the files say so in every name. It is built to teach the course's central
point: the county is strong in Justice and Identification but has almost
nothing in Restoration, so a good average hides a gap that leaves people who
have experienced trafficking without aftercare.

The data is package data (:func:`endtrafficking.paths.data_file`), linked from
``assessments_templates/`` so that people can open it in a spreadsheet too.
"""

from __future__ import annotations

from endtrafficking.assessment import Assessment
from endtrafficking.framework import Framework
from endtrafficking.inventory import InventoryEntry, load_inventory
from endtrafficking.paths import EXAMPLE_ASSESSMENT_FILE, EXAMPLE_INVENTORY_FILE, example_path
from endtrafficking.storage import load_assessment

__all__ = [
    "EXAMPLE_ASSESSMENT_FILE",
    "EXAMPLE_INVENTORY_FILE",
    "example_assessment",
    "example_inventory",
    "example_path",
]


def example_assessment(framework: Framework | None = None) -> Assessment:
    """A fresh copy of the fictional example community's assessment."""
    return load_assessment(example_path(EXAMPLE_ASSESSMENT_FILE), framework)


def example_inventory(framework: Framework | None = None) -> list[InventoryEntry]:
    """A fresh copy of the fictional example community's resource inventory."""
    return load_inventory(example_path(EXAMPLE_INVENTORY_FILE), framework)
