"""Three FICTIONAL partners' files for practice: the example county seen by three organizations.

Each starts from the course's fictional example community and changes a few
ratings, as three partners with different views would. Every organization
named here is invented, and says so.
"""

from __future__ import annotations

from endtrafficking.assessment import Assessment
from endtrafficking.examples import example_assessment

#: Partner (fictional) -> the ratings it sees differently from the example.
EXAMPLE_PARTNERS: dict[str, dict[str, int | None]] = {
    "Elderbrook Youth Shelter (fictional)": {"RST1": 0, "RST2": 0, "PRE2": 1},
    "Elderbrook School District (fictional)": {"RST1": 2, "PRE2": 3, "IDE2": None},
    "Elderbrook General Hospital (fictional)": {"RST1": 1, "IDE2": 0, "PRE2": 2, "RST2": 2},
}
EXAMPLE_DATE = "2025-03-14"


def example_partner_assessments() -> list[Assessment]:
    """The three fictional partners' assessments (fresh copies)."""
    out = []
    for partner, changes in EXAMPLE_PARTNERS.items():
        assessment = example_assessment()
        assessment.partner = partner
        assessment.assessed_on = EXAMPLE_DATE
        for indicator_id, rating in changes.items():
            assessment.set_response(indicator_id, rating=rating)
        out.append(assessment)
    return out
