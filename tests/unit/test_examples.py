"""Tests of the filled example for a fictional community."""

from __future__ import annotations

import csv
import io
import re

from endtrafficking.examples import (
    EXAMPLE_ASSESSMENT_FILE,
    EXAMPLE_INVENTORY_FILE,
    example_assessment,
    example_inventory,
    example_path,
)
from endtrafficking.inventory import inventory_to_csv
from endtrafficking.scoring import balance, gaps
from endtrafficking.storage import to_csv

FICTIONAL = "(fictional)"


def test_labelled_fictional_in_the_file():
    """Does the example file itself say the community is fictional?"""
    rows = list(csv.DictReader(io.StringIO(example_path().read_text(encoding="utf-8"))))
    by_id = {r["indicator_id"]: r for r in rows}
    assert FICTIONAL in by_id["COMMUNITY"]["evidence"]
    assert by_id["FICTIONAL"]["evidence"] == "yes"
    assessment = example_assessment()
    assert assessment.fictional and FICTIONAL in assessment.community


def test_every_organization_is_fictional_and_listed():
    """Is every organization labelled fictional, and each one named in the inventory?"""
    assessment_orgs = set(example_assessment().organizations())
    inventory = example_inventory()
    inventory_orgs = {e.organization for e in inventory}
    assert all(name.endswith(FICTIONAL) for name in assessment_orgs | inventory_orgs)
    assert assessment_orgs <= inventory_orgs


def test_no_figures_in_free_text():
    """Does the example's free text avoid numbers that could read as real figures?"""
    assessment = example_assessment()
    texts = [r.evidence + " " + r.notes for r in assessment.responses.values()]
    texts += list(assessment.context.values())
    texts += [e.service_type + " " + e.how_to_refer for e in example_inventory()]
    assert not [t for t in texts if re.search(r"\d", t)]


def test_strength_hides_weakness():
    """Does the example show strength in Justice hiding a gap in Restoration?"""
    result = balance(example_assessment())
    assert result.hidden_weakness
    assert (result.strongest, result.weakest) == ("Justice", "Restoration")


def test_suggests_every_engagement_option():
    """Do the example's gaps use all three engagement options, and one is unrated?"""
    frame = gaps(example_assessment())
    assert set(frame["suggested_option"]) == {"enhance", "come_alongside", "fill_gap"}
    assert frame["rating"].isna().sum() == 1


def test_files_are_in_the_canonical_layout():
    """Are the example files exactly what saving them again would write?"""
    assert to_csv(example_assessment()) == example_path().read_text(encoding="utf-8")
    inventory_text = example_path(EXAMPLE_INVENTORY_FILE).read_text(encoding="utf-8")
    assert inventory_to_csv(example_inventory()) == inventory_text
    assert example_path() == example_path(EXAMPLE_ASSESSMENT_FILE)


def test_fresh_copy_each_time():
    """Does changing the returned example leave the next copy untouched?"""
    first = example_assessment()
    first.set_response("RST1", rating=3)
    assert example_assessment().responses["RST1"].rating == 0
