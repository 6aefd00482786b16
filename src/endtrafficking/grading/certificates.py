"""Printable certificates of completion, one HTML page per learner who passed.

A learner passes when they handed in every graded assignment that
``course/course.yaml`` lists (``graded_assignments``) and their points reach the
course's ``pass_mark`` (a share of all the points of those assignments, counted
from their sources, whatever has been generated). A learner who would pass but still has
work waiting for manual grading gets no certificate yet: the page would have
to be withdrawn if the manual grades changed the result. Run the pipeline
again after manual grading.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from endtrafficking.grading import results
from endtrafficking.safe_save import atomic_write

CERTIFICATES_DIR = "certificates"
STYLE = """
@page { size: A4 landscape; margin: 15mm; }
body { font-family: Georgia, 'Times New Roman', serif; color: #1a1a1a; margin: 0; }
.frame { border: 6px double #0072B2; padding: 14mm 18mm; min-height: 150mm; text-align: center; }
h1 { font-size: 30pt; margin: 0 0 8mm; letter-spacing: 0.05em; }
.name { font-size: 26pt; margin: 6mm 0; border-bottom: 1px solid #999; display: inline-block;
        padding: 0 10mm 2mm; }
.course { font-size: 18pt; font-style: italic; }
.meta { margin-top: 12mm; font-size: 11pt; color: #444; }
@media print { .noprint { display: none; } }
"""


@dataclass
class CertificateReport:
    """Who got a certificate, who is waiting for manual grading, and who did not pass yet."""

    pass_mark: float
    issued: dict[str, Path] = field(default_factory=dict)
    waiting_for_manual_grading: list[str] = field(default_factory=list)
    below_pass_mark: list[str] = field(default_factory=list)
    missing_assignments: list[str] = field(default_factory=list)


def course_settings(root: Path) -> tuple[str, float]:
    """The course title and pass mark, from ``course.yaml`` in the course root."""
    from endtrafficking.course_meta import load_course

    path = root / "course.yaml"
    course = load_course(path if path.exists() else None)
    return course.title, course.pass_mark


def safe_file_name(student: str) -> str:
    """A file name for a learner id (letters, digits, ``.``, ``_`` and ``-`` kept)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", student).strip("._") or "learner"


def certificate_html(
    name: str, course_title: str, share: float, issued_on: str, assignments: list[str]
) -> str:
    """One printable certificate page."""
    listed = ", ".join(html.escape(a) for a in assignments)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Certificate of completion: {html.escape(name)}</title><style>{STYLE}</style></head>
<body><div class="frame">
<h1>Certificate of completion</h1>
<p>This certifies that</p>
<p class="name">{html.escape(name)}</p>
<p>has completed the course</p>
<p class="course">{html.escape(course_title)}</p>
<p>with {100 * share:.0f}% of the points of its graded checkpoints ({listed}).</p>
<p class="meta">Issued {html.escape(issued_on)}.</p>
<p class="noprint meta">Print this page, or save it as PDF from the browser's print dialog.</p>
</div></body></html>
"""


def write_certificates(
    root: str | Path, out_dir: str | Path, pass_mark: float | None = None
) -> CertificateReport:
    """Write ``<out_dir>/certificates/<learner>.html`` for every learner who passed."""
    root = Path(root).resolve()
    title, configured = course_settings(root)
    mark = configured if pass_mark is None else pass_mark
    url = results.db_url(root)
    maxima = results.course_maxima(root)
    totals = results.learner_totals(url, maxima)
    people = results.students(url).set_index("student")
    assignments = list(maxima)
    report = CertificateReport(pass_mark=mark)
    folder = Path(out_dir) / CERTIFICATES_DIR
    issued_on = datetime.now(UTC).strftime("%d %B %Y")
    for row in totals.itertuples(index=False):
        if row.missing:
            report.missing_assignments.append(row.student)
            continue
        if row.share + 1e-9 < mark:
            report.below_pass_mark.append(row.student)
            continue
        if row.pending_manual:
            report.waiting_for_manual_grading.append(row.student)
            continue
        first = people.at[row.student, "first_name"] if row.student in people.index else ""
        last = people.at[row.student, "last_name"] if row.student in people.index else ""
        name = " ".join(part for part in (first, last) if part) or row.student
        path = folder / f"{safe_file_name(row.student)}.html"
        atomic_write(
            path,
            certificate_html(name, title, row.share, issued_on, assignments),
            keep_backup=False,
        )
        report.issued[row.student] = path
    return report
