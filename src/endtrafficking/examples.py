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

from pathlib import Path

from endtrafficking.assessment import Assessment
from endtrafficking.framework import Framework
from endtrafficking.inventory import InventoryEntry, load_inventory
from endtrafficking.paths import data_file
from endtrafficking.storage import load_assessment

EXAMPLE_ASSESSMENT_FILE = "example_community.csv"
EXAMPLE_INVENTORY_FILE = "example_inventory.csv"


def example_path(name: str = EXAMPLE_ASSESSMENT_FILE) -> Path:
    """Where an example file lives."""
    return data_file(name)


def example_assessment(framework: Framework | None = None) -> Assessment:
    """A fresh copy of the fictional example community's assessment."""
    return load_assessment(example_path(EXAMPLE_ASSESSMENT_FILE), framework)


def example_inventory(framework: Framework | None = None) -> list[InventoryEntry]:
    """A fresh copy of the fictional example community's resource inventory."""
    return load_inventory(example_path(EXAMPLE_INVENTORY_FILE), framework)
