"""Partners' assessments for the coalition tests: a FICTIONAL county seen by three partners."""

from __future__ import annotations

import pytest

from endtrafficking.assessment import Assessment
from endtrafficking.coalition.example_partners import example_partner_assessments


@pytest.fixture
def partners() -> list[Assessment]:
    """Three fictional partners' assessments of the fictional example county."""
    return example_partner_assessments()
