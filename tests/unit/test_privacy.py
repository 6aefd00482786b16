"""Warnings for details in free text that could identify a person."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from endtrafficking.privacy import (
    ADDRESS_WARNING,
    BIRTH_DATE_WARNING,
    EMAIL_WARNING,
    HOTLINE_NUMBERS,
    NAME_WARNING,
    PHONE_WARNING,
    is_role_mailbox,
    privacy_warnings,
)


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


# --------------------------------------------------------------- public mailboxes (issue 12, 14)
@pytest.mark.parametrize(
    "text",
    [
        "Refer through intake@safeharbor.example.org",
        "info@coalition.example.org or referrals@county.example.gov",
        "Email the youth-services@city.example.org team",
        "hotline@shelter.example.org answers within a day",
    ],
)
def test_an_organizations_public_mailbox_is_fine(text):
    """Is an organization's public intake or info address left alone?"""
    assert privacy_warnings(text) == []


@pytest.mark.parametrize(
    ("address", "is_role"),
    [
        ("intake@shelter.example.org", True),
        ("info@example.org", True),
        ("youth.referrals@example.gov", True),
        ("maria.lopez@example.org", False),
        ("jdoe1987@mail.example.com", False),
    ],
)
def test_role_mailbox_guess(address, is_role):
    """Does the mailbox check tell a service's address from a person's?"""
    assert is_role_mailbox(address) is is_role


# --------------------------------------------------------------- a name with an age or a case
@pytest.mark.parametrize(
    "text",
    [
        "Ana, 15, was trafficked by her boyfriend.",
        "Maria Lopez was trafficked by her uncle.",
        "The survivor, Ana, now lives with her aunt.",
        "A girl named Ana is 15 and goes to our school.",
        "Maria's trafficker took her phone.",
        "Jose (16) ran away last month.",
        "Kim ran away from home in May.",
        "Ms. Okafor was threatened by her employer.",
        "We met Daniel, a survivor, at the shelter.",
        "a 15-year-old named Sam was groomed online",
    ],
)
def test_a_name_with_an_age_or_case_detail_warns(text):
    """Does a person's name next to an age or a detail of their case get one warning?"""
    warnings = privacy_warnings(text)
    assert warnings == [NAME_WARNING]


@pytest.mark.parametrize(
    "text",
    [
        "Polaris Project responds to victims.",
        "International Justice Mission rescues victims and restores survivors.",
        "Not For Sale helps survivors into dignified work.",
        "Safe Harbor serves trafficked youth.",
        "We refer to a shelter called Safe Harbor, which helps people who were trafficked.",
        "Hope House (12 beds) opened in 2019.",
        "Elderbrook Safe Haven (fictional) served 12 survivors last year.",
        "Covenant House was forced to close in winter.",
        "Restoration is weak; Justice is strong.",
        "Workers were exploited at the farm, the task force found.",
        "Many were trafficked through the port.",
        "Last year 15 people were identified in the county.",
        "Ask the Sheriff's Office and the County Health Department.",
        "Maria Lopez",
        "Ask Maria Lopez, the coordinator, about referrals.",
    ],
)
def test_organizations_and_aggregate_facts_do_not_warn(text):
    """Are organization names, aggregate facts and a bare name left without a name warning?"""
    assert NAME_WARNING not in privacy_warnings(text)


# --------------------------------------------------------------- addresses and birth dates
@pytest.mark.parametrize(
    "text",
    [
        "She stays at 42 Elm Street with a cousin.",
        "The family moved to 1180 N Riverside Ave last year.",
        "He was seen in room 214 of the motel.",
        "They rent Apt 4B above the shop.",
    ],
)
def test_street_addresses_and_room_numbers_warn(text):
    """Does a street address, apartment or room number get one warning?"""
    assert privacy_warnings(text) == [ADDRESS_WARNING]


@pytest.mark.parametrize(
    "text",
    [
        "Highway 101 and Route 66 pass through the county.",
        "Task force of 25 agencies; 3 trainings in 2023.",
        "The shelter has 12 rooms and 30 volunteers.",
    ],
)
def test_roads_and_counts_are_not_addresses(text):
    """Are highway names and counts of rooms left alone?"""
    assert privacy_warnings(text) == []


@pytest.mark.parametrize(
    "text",
    ["DOB 04/12/2009", "born on 3 May 2009", "Date of birth: 2009-05-03", "her birthday is June 4"],
)
def test_dates_of_birth_warn(text):
    """Does a date of birth get one warning?"""
    assert privacy_warnings(text) == [BIRTH_DATE_WARNING]


def test_the_coalition_being_born_is_not_a_birth_date():
    """Is a founding year ("the coalition was born in 2009") left alone?"""
    assert privacy_warnings("The coalition was born in 2009 and meets monthly.") == []


def test_warnings_are_kind_and_say_what_to_do():
    """Does every warning say please and what to do instead, without blaming anyone?"""
    for warning in (EMAIL_WARNING, PHONE_WARNING, NAME_WARNING, ADDRESS_WARNING):
        assert "please" in warning.lower() and "organization" in warning.lower()
    assert "please" in BIRTH_DATE_WARNING.lower()


# --------------------------------------------------------------- properties
FIRST_NAMES = ["Ana", "Maria", "Jose", "Daniel", "Aisha", "Kim", "Sam", "Oluwaseun", "Li"]
AGE_TEMPLATES = [
    "{name}, {age}, works at the mall.",
    "{name} ({age}) started a new job.",
    "{name} is {age} and lives nearby.",
    "{name}, a {age}-year-old, was recruited online.",
]
CASE_TEMPLATES = [
    "{name} was trafficked by a neighbour.",
    "{name} was exploited at a restaurant.",
    "{name} ran away in March.",
    "The survivor, {name}, disclosed it to a nurse.",
]
ORGANIZATIONS = [
    "Polaris Project",
    "International Justice Mission",
    "Not For Sale",
    "Engage Together",
    "Blue Lightning Initiative",
    "Riverside County Health Department",
    "Hope House",
    "Safe Harbor",
    "Covenant House",
    "Grace Church",
    "Elderbrook Safe Haven (fictional)",
    "Northside Youth Shelter",
]
SERVICE_PHRASES = [
    "serves survivors of trafficking.",
    "trains staff to recognise people who are trafficked.",
    "runs aftercare for adults who were exploited.",
    "helps victims find emergency shelter.",
    "has 12 beds and 30 volunteers.",
]


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(FIRST_NAMES),
    age=st.integers(min_value=5, max_value=25),
    template=st.sampled_from(AGE_TEMPLATES),
)
def test_property_any_name_with_an_age_warns(name, age, template):
    """Does every first name written next to an age get the name warning?"""
    assert NAME_WARNING in privacy_warnings(template.format(name=name, age=age))


@settings(max_examples=40, deadline=None)
@given(name=st.sampled_from(FIRST_NAMES), template=st.sampled_from(CASE_TEMPLATES))
def test_property_any_name_with_a_case_detail_warns(name, template):
    """Does every first name written with what happened to them get the name warning?"""
    assert NAME_WARNING in privacy_warnings(template.format(name=name))


@settings(max_examples=60, deadline=None)
@given(org=st.sampled_from(ORGANIZATIONS), phrase=st.sampled_from(SERVICE_PHRASES))
def test_property_organizations_never_get_the_name_warning(org, phrase):
    """Is an organization described by its services never taken for a person?"""
    assert privacy_warnings(f"{org} {phrase}") == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_property_any_text_gets_a_list_of_known_warnings(text):
    """Does any text at all give a list of the known warnings, without an error?"""
    known = {EMAIL_WARNING, PHONE_WARNING, NAME_WARNING, ADDRESS_WARNING, BIRTH_DATE_WARNING}
    warnings = privacy_warnings(text)
    assert set(warnings) <= known and len(warnings) == len(set(warnings))
