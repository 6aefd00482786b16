"""The community-assessment model."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from endtrafficking.assessment import (
    TABLE_COLUMNS,
    Assessment,
    Response,
    clean_text,
    split_organizations,
)


def test_blank_has_every_indicator_and_prompt(framework):
    """Does a blank assessment hold an empty answer for every indicator and prompt?"""
    blank = Assessment.blank("Somewhere (fictional)", framework)
    assert list(blank.responses) == list(framework.indicator_ids)
    assert all(r.is_blank() for r in blank.responses.values())
    assert set(blank.context) == {p.id for p in framework.prompts}
    assert blank.rated_count == 0
    assert blank.fictional is False


def test_blank_uses_course_framework_by_default(framework):
    """Does Assessment.blank() use the course framework when none is given?"""
    assert Assessment.blank().framework is framework


def test_set_response_changes_only_what_is_given(framework):
    """Does set_response keep the fields it is not given?"""
    a = Assessment.blank("X", framework)
    a.set_response("PRE1", rating=2, evidence="seen", organizations=["A (fictional)"], notes="n")
    a.set_response("PRE1", notes="later")
    assert a.responses["PRE1"] == Response(2, "seen", ["A (fictional)"], "later")
    a.set_response("PRE1", rating=None)
    assert a.responses["PRE1"].rating is None
    assert a.responses["PRE1"].evidence == "seen"


@pytest.mark.parametrize("bad", [4, -1, 2.5, "2", True, False, math.nan])
def test_set_response_refuses_off_scale(framework, bad):
    """Is a rating that is not a whole number on the scale refused (booleans too)?"""
    a = Assessment.blank("X", framework)
    with pytest.raises(ValueError, match="PRE1"):
        a.set_response("PRE1", rating=bad)
    assert a.responses["PRE1"].rating is None


def test_set_response_accepts_numpy_integers(framework):
    """Is a numpy integer accepted and stored as a plain int?"""
    a = Assessment.blank("X", framework)
    a.set_response("PRE1", rating=np.int64(3))
    assert a.responses["PRE1"].rating == 3 and type(a.responses["PRE1"].rating) is int


def test_unknown_indicator(framework):
    """Is an unknown indicator id refused, by set_response and by the constructor?"""
    a = Assessment.blank("X", framework)
    with pytest.raises(KeyError):
        a.set_response("NOPE", rating=1)
    with pytest.raises(KeyError, match="NOPE"):
        Assessment(framework=framework, responses={"NOPE": Response()})


def test_ratings_vector(filled):
    """Are ratings returned in framework order as floats, NaN where unrated?"""
    ratings = filled.ratings()
    assert ratings.shape == (len(filled.framework.indicator_ids),)
    assert ratings.dtype == float
    ids = list(filled.framework.indicator_ids)
    assert math.isnan(ratings[ids.index("PAR1")])
    assert ratings[ids.index("JUS1")] == 3.0
    assert filled.rated_count == len(ids) - 1


def test_to_frame(filled):
    """Is the table one row per indicator, with nullable integer ratings?"""
    frame = filled.to_frame()
    assert list(frame.columns) == list(TABLE_COLUMNS)
    assert len(frame) == len(filled.framework.indicator_ids)
    assert str(frame["rating"].dtype) == "Int64"
    row = frame.set_index("indicator_id").loc["JUS1"]
    assert row["area"] == "Justice"
    assert row["organizations"] == (
        "Harrow Bend Task Force (fictional); County Prosecutor's Office (fictional)"
    )
    assert frame.set_index("indicator_id").loc["PAR1", "rating"] is pd.NA


def test_organizations_listed_once_sorted(filled):
    """Are the organizations named anywhere listed once, sorted?"""
    assert filled.organizations() == [
        "County Prosecutor's Office (fictional)",
        "Harrow Bend Shelter (fictional)",
        "Harrow Bend Task Force (fictional)",
    ]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("A; B;;  C  ", ["A", "B", "C"]),
        (["A", "A", " B "], ["A", "B"]),
        ("One\nTwo\r\nThree", ["One", "Two", "Three"]),
        (["Multi   space\tname"], ["Multi space name"]),
        ("", []),
        (["", "  "], []),
        (["Bell\x07 Org"], ["Bell Org"]),
    ],
)
def test_split_organizations(given, expected):
    """Are organization names split on ";" and line breaks, tidied and de-duplicated?"""
    assert split_organizations(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("  padded  ", "padded"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("tab\tkept", "tab\tkept"),
        ("nul\x00 and esc\x1b", "nul and esc"),
        ("non-char\ufffe\uffff", "non-char"),
        ("lone \ud800surrogate", "lone surrogate"),
        ("日本語 «ok»", "日本語 «ok»"),
        ("", ""),
    ],
)
def test_clean_text(given, expected):
    """Does clean_text keep what every format can hold and drop or normalise the rest?"""
    assert clean_text(given) == expected
    assert clean_text(clean_text(given)) == clean_text(given)


def test_text_is_normalised_on_every_way_in(framework):
    """Is text cleaned whether it comes through set_response, Response or the constructor?"""
    prompt = framework.prompts[0].id
    a = Assessment(
        framework=framework, community="  Padded (fictional) ", context={prompt: " x\r\n"}
    )
    a.set_response("PRE1", evidence=" e ", notes="n\r", organizations=" A ; B ")
    assert a.community == "Padded (fictional)"
    assert a.context[prompt] == "x"
    assert a.responses["PRE1"] == Response(None, "e", ["A", "B"], "n")
    assert Response(evidence="\x01 e ").evidence == "e"


def test_equality_ignores_update_time(filled, framework):
    """Are two assessments equal when their content is, whatever their save time?"""
    twin = Assessment(
        framework=framework,
        community=filled.community,
        fictional=True,
        responses=dict(filled.responses),
        context=dict(filled.context),
    )
    twin.touch()
    assert twin == filled
    twin.set_response("PRE1", rating=0 if filled.responses["PRE1"].rating else 1)
    assert twin != filled
    assert filled != "not an assessment"


def test_touch_records_utc_time(framework):
    """Does touch() record the time as ISO 8601 in UTC?"""
    a = Assessment.blank("X", framework)
    a.touch()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", a.updated)


def test_response_is_blank():
    """Is a response blank only when nothing at all was entered?"""
    assert Response().is_blank()
    assert not Response(rating=0).is_blank()
    assert not Response(notes="x").is_blank()
    assert not Response(organizations=["A"]).is_blank()
