"""Guarding free text against details that could identify a person.

No exercise asks for information about a victim or survivor. Free-text fields
still run :func:`privacy_warnings` on what a learner types, and warn when it
looks like an email address or a phone number that is not a known hotline.
"""

from __future__ import annotations

import re

#: Public numbers the course may show (see course/bibliography.yaml, F3-F5).
HOTLINE_NUMBERS = {"18883737888", "233733"}

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w])(?:\+?\d[\d\s().-]{5,}\d)(?![\w])")
#: Dates and year ranges ("2023-2024", "2024-01-15", "2019 - 2021") are not phone numbers.
_DATE_LIKE = re.compile(
    r"^(?:(?:19|20)\d\d\s*[-/–]\s*(?:19|20)\d\d|(?:19|20)\d\d[-/]\d{1,2}[-/]\d{1,2}"
    r"|\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d\d)$"
)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def privacy_warnings(text: str) -> list[str]:
    """Warnings for an email address or a non-hotline phone number in ``text``."""
    warnings: list[str] = []
    if _EMAIL.search(text or ""):
        warnings.append(
            "This looks like an email address. Please don't record contact details of "
            "individuals here; name organizations and roles instead."
        )
    for match in _PHONE.finditer(text or ""):
        digits = _digits(match.group())
        if _DATE_LIKE.match(match.group().strip()):
            continue
        if len(digits) < 7 or digits in HOTLINE_NUMBERS or digits.lstrip("1") == "8883737888":
            continue
        warnings.append(
            "This looks like a phone number. Please don't record anyone's personal number; "
            "an organization's public referral line is fine in the resource inventory."
        )
        break
    return warnings
