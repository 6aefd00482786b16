"""A certificate of completion for a learner who finishes the self-study path.

It names the learner (the name they chose), the date and the modules they
completed, and says plainly what it is: a record that they completed the
self-study path of the course, not a graded result and not a professional
qualification. Graded certificates for an instructor-led course are made by
the grading pipeline (:mod:`endtrafficking.grading.certificates`).

Two forms: a print-ready HTML page, and a one-page PDF drawn with matplotlib
(already a dependency of the course, so no PDF library is added).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import textwrap
import unicodedata
from dataclasses import dataclass

from endtrafficking.course_meta import load_course
from endtrafficking.course_view.progress import CourseProgress
from endtrafficking.errors import CourseInputError

#: The longest name a certificate prints.
MAX_NAME = 80
STATEMENT = (
    "This certifies that the person named above completed every module of the self-study "
    "path of this course, as recorded by their own saved work. It is not a graded result, "
    "an assessment of competence, or a professional qualification."
)


@dataclass(frozen=True)
class Certificate:
    """What a certificate says."""

    name: str
    date: dt.date
    course_title: str
    modules: tuple[str, ...]


def clean_name(text: str) -> str:
    """The learner's name as typed, with control characters removed and spaces collapsed.

    Raises:
        CourseInputError: the name is empty or longer than :data:`MAX_NAME` characters.
    """
    printable = "".join(ch for ch in str(text) if unicodedata.category(ch)[0] != "C")
    name = " ".join(printable.split())
    if not name:
        raise CourseInputError(
            "the certificate needs a name.",
            fix="type the name you want on your certificate (it is not shared with anyone).",
        )
    if len(name) > MAX_NAME:
        raise CourseInputError(
            f"the name is {len(name)} characters long; a certificate prints up to {MAX_NAME}.",
            fix="shorten it, for example to your first and last name.",
        )
    return name


def certificate_for(
    name: str, progress: CourseProgress, today: dt.date | None = None
) -> Certificate:
    """The certificate of a learner whose saved work completes the course.

    Raises:
        CourseInputError: the course is not complete yet (naming what is left), or the
            name is empty or too long.
    """
    left = [p.lesson.title for p in progress.required if not p.complete]
    if left:
        raise CourseInputError(
            f"the course is not complete yet: {'; '.join(left)}.",
            fix="finish the exercises of those modules; your certificate is then ready here.",
        )
    return Certificate(
        name=clean_name(name),
        date=today or dt.date.today(),
        course_title=load_course().title,
        modules=tuple(p.lesson.title for p in progress.required),
    )


def certificate_html(cert: Certificate) -> str:
    """The certificate as a print-ready, self-contained HTML page (landscape A4 or Letter)."""
    esc = html.escape
    items = "".join(f"<li>{esc(m)}</li>" for m in cert.modules)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Certificate of completion: {esc(cert.name)}</title><style>"
        "@page { size: landscape; margin: 12mm; }"
        "body { font-family: Georgia, 'Times New Roman', serif; color: #1a1a1a; margin: 0; }"
        ".sheet { border: 6px double #0072B2; padding: 28px 48px; max-width: 960px; "
        "margin: 24px auto; text-align: center; }"
        "h1 { font-size: 34px; letter-spacing: 1px; margin: 8px 0 18px 0; }"
        ".name { font-size: 30px; font-weight: bold; margin: 12px 0; }"
        ".course { font-size: 21px; font-style: italic; margin: 10px 0 16px 0; }"
        "ul { display: inline-block; text-align: left; font-size: 16px; margin: 6px 0 14px 0; }"
        ".statement { font-size: 14px; color: #333; max-width: 720px; margin: 12px auto; }"
        ".date { font-size: 16px; margin-top: 16px; }"
        "@media print { .sheet { margin: 0 auto; } }"
        '</style></head><body><main class="sheet">'
        "<h1>Certificate of completion</h1><p>This is to certify that</p>"
        f'<p class="name">{esc(cert.name)}</p><p>completed the self-study path of</p>'
        f'<p class="course">{esc(cert.course_title)}</p>'
        f"<p>Modules completed:</p><ul>{items}</ul>"
        f'<p class="statement">{esc(STATEMENT)}</p>'
        f'<p class="date">Date: {cert.date.isoformat()}</p>'
        "</main></body></html>\n"
    )


def certificate_pdf(cert: Certificate) -> bytes:
    """The certificate as a one-page landscape PDF."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11.69, 8.27))  # A4 landscape, in inches
    fig.patches.append(_border(fig))
    lines: list[tuple[float, str, dict]] = [
        (0.86, "Certificate of completion", {"size": 30, "weight": "bold"}),
        (0.76, "This is to certify that", {"size": 15}),
        (0.68, cert.name, {"size": 26, "weight": "bold"}),
        (0.60, "completed the self-study path of", {"size": 15}),
        (0.53, cert.course_title, {"size": 19, "style": "italic"}),
        (0.45, "Modules completed: " + "; ".join(cert.modules), {"size": 11}),
    ]
    for y, text, style in lines:
        wrapped = "\n".join(textwrap.wrap(text, 110)) if style["size"] <= 11 else text
        fig.text(0.5, y, wrapped, ha="center", va="center", family="serif", **style)
    fig.text(
        0.5, 0.27, "\n".join(textwrap.wrap(STATEMENT, 100)), ha="center", va="center", size=10.5
    )
    fig.text(0.5, 0.14, f"Date: {cert.date.isoformat()}", ha="center", va="center", size=13)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="pdf", metadata={"Title": f"Certificate of completion: {cert.name}"})
    return buffer.getvalue()


def _border(fig: object) -> object:
    from matplotlib.patches import Rectangle

    return Rectangle(
        (0.03, 0.04),
        0.94,
        0.92,
        transform=fig.transFigure,
        fill=False,
        edgecolor="#0072B2",
        linewidth=4,
    )
