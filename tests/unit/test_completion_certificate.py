"""The self-study certificate: only for complete work, with a clear statement of what it is."""

from __future__ import annotations

import datetime as dt

import pytest

from endtrafficking.completion_certificate import (
    MAX_NAME,
    certificate_for,
    certificate_html,
    certificate_pdf,
    clean_name,
)
from endtrafficking.course_view.progress import course_progress
from endtrafficking.errors import CourseInputError

DAY = dt.date(2026, 12, 1)


def test_incomplete_course_names_what_is_left(work):
    """Is a certificate refused while modules are incomplete, naming them?"""
    with pytest.raises(CourseInputError) as info:
        certificate_for("Sam Rivera", course_progress(work), DAY)
    assert "not complete yet" in str(info.value) and "Step 3, Context" in str(info.value)


def test_complete_course_gets_a_certificate(completed):
    """Does complete work give a certificate with the name, date and every module?"""
    cert = certificate_for("  Sam   Rivera ", course_progress(completed), DAY)
    assert cert.name == "Sam Rivera" and cert.date == DAY
    assert len(cert.modules) == 5
    text = certificate_html(cert)
    assert "Sam Rivera" in text and "2026-12-01" in text
    assert "self-study path" in text and "not a graded result" in text
    pdf = certificate_pdf(cert)
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000


@pytest.mark.parametrize("name", ["", "   ", "\x00\x07", "x" * (MAX_NAME + 1)])
def test_bad_names_are_refused_clearly(name):
    """Is an empty or over-long name refused with a fix?"""
    with pytest.raises(CourseInputError) as info:
        clean_name(name)
    assert "fix" in str(info.value).lower() or "How to fix" in str(info.value)


def test_markup_in_a_name_is_text(completed):
    """Is a name with markup printed as text on the HTML certificate?"""
    cert = certificate_for("<b>Sam</b>", course_progress(completed), DAY)
    assert "<b>Sam</b>" not in certificate_html(cert) and "&lt;b&gt;Sam" in certificate_html(cert)
