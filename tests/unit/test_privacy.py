"""Warnings for details in free text that could identify a person."""

from __future__ import annotations

import pytest

from endtrafficking.privacy import HOTLINE_NUMBERS, privacy_warnings


@pytest.mark.parametrize(
    "text",
    [
        "Write to someone@example.org for help",
        "contact: first.last+tag@mail.example.co.uk",
    ],
)
def test_email_warns(text):
    """Does an email address get a warning?"""
    warnings = privacy_warnings(text)
    assert len(warnings) == 1 and "email address" in warnings[0]


@pytest.mark.parametrize(
    "text",
    [
        "Her number is 555-201-7788",
        "Call +44 20 7946 0958 after six",
        "(555) 201 7788",
    ],
)
def test_personal_phone_warns(text):
    """Does a phone number that is not a hotline get one warning?"""
    warnings = privacy_warnings(text)
    assert len(warnings) == 1 and "phone number" in warnings[0]


@pytest.mark.parametrize(
    "text",
    [
        "National hotline: 1-888-373-7888",
        "Call 1 (888) 373-7888 any time",
        "888-373-7888",
        "Text 233733 (BeFree)",
    ],
)
def test_hotline_numbers_are_fine(text):
    """Are the public hotline numbers allowed without a warning?"""
    assert privacy_warnings(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        "The shelter opened in 2019 and has 12 beds.",
        "Task force of 25 agencies; 3 trainings in 2023",
        "Refer through the county's social services office",
    ],
)
def test_ordinary_text_is_fine(text):
    """Does ordinary text (years, small counts, roles) pass without warnings?"""
    assert privacy_warnings(text) == []


def test_email_and_phone_both_warn():
    """Do an email and a phone number in one text give one warning each?"""
    warnings = privacy_warnings("a@b.org or 555 201 7788 or 555 301 8899")
    assert len(warnings) == 2


def test_none_is_tolerated():
    """Is an empty widget value (None) handled without an error?"""
    assert privacy_warnings(None) == []  # type: ignore[arg-type]


def test_hotline_numbers_are_digits_only():
    """Are the allowed numbers stored as digits, as the comparison expects?"""
    assert all(n.isdigit() for n in HOTLINE_NUMBERS)


@pytest.mark.parametrize(
    "text",
    ["Funding 2023-2024", "Since 2019 - 2021", "Met on 2024-01-15", "Report of 15/01/2024"],
)
def test_dates_and_year_ranges_are_not_phone_numbers(text):
    """Are dates and year ranges left alone rather than flagged as phone numbers?"""
    assert privacy_warnings(text) == []
