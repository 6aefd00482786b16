"""Tests of the HTML report for community partners."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest

from endtrafficking.assessment import Assessment
from endtrafficking.examples import example_assessment, example_inventory
from endtrafficking.inventory import InventoryEntry
from endtrafficking.report import load_bibliography, render_report, write_report
from endtrafficking.safe_save import backup_path

DAY = dt.date(2026, 1, 15)
BLOCKS = {"p", "li", "tr", "h1", "h2", "h3", "dt", "dd", "caption", "figcaption", "title", "br"}


class _Text(HTMLParser):
    """The visible text of a page, one block per line, with images as their alt text."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0
        self.images: list[dict[str, str | None]] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("style", "script"):
            self.skip += 1
        if tag == "img":
            self.images.append(attributes)
            self.parts.append(f"\n[image: {attributes.get('alt')}]\n")
        for key in ("src", "href"):
            if attributes.get(key):
                self.links.append(attributes[key] or "")
        if tag in BLOCKS:
            self.parts.append("\n")
        if tag in ("td", "th"):
            self.parts.append(" | ")

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self.skip -= 1
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)

    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self.parts).splitlines())
        return "\n".join(line for line in lines if line) + "\n"


def parse(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def example_html() -> str:
    """The report of the fictional example community, with its inventory."""
    return render_report(example_assessment(), example_inventory(), today=DAY)


def test_golden_text(example_html, golden):
    """Does the example community's report say exactly what the golden file says?"""
    golden("example_report.txt", parse(example_html).text())


def test_self_contained(example_html):
    """Does the report load nothing from outside: no scripts, links or external images?"""
    page = parse(example_html)
    assert "<script" not in example_html.lower()
    assert page.links and all(link.startswith("data:image/png;base64,") for link in page.links)
    assert not re.search(r"url\(", example_html)


def test_every_chart_has_a_text_equivalent(example_html):
    """Does every chart have alt text that is also shown as a caption, with a table?"""
    page = parse(example_html)
    assert len(page.images) == 2
    text = page.text()
    for image in page.images:
        alt = image["alt"] or ""
        assert len(alt) > 40 and alt in text.replace(f"[image: {alt}]", "")
    assert "Coverage of each focus area" in text and "Every indicator's rating" in text


def test_fictional_banner_and_safeguards(example_html):
    """Does a fictional community get a banner, and every report the safeguards and date?"""
    text = parse(example_html).text()
    assert text.startswith("Community assessment report: Elderbrook County (fictional)\n")
    assert "FICTIONAL EXAMPLE: Elderbrook County (fictional)" in text
    assert "could identify a victim or survivor" in text
    assert "2026-01-15" in text
    real = render_report(Assessment.blank("Harrow Bend"), today=DAY)
    assert "FICTIONAL EXAMPLE" not in real and "Safeguards." in real


def test_sources_cover_every_cited_key(example_html):
    """Is every [KEY] cited in the report listed under Sources with its bibliography title?"""
    text = parse(example_html).text()
    body, _, sources = text.partition("\nSources\n")
    cited = {
        k.strip() for group in re.findall(r"\[([A-Z0-9, ]+)\]", body) for k in group.split(",")
    }
    bibliography = load_bibliography()
    assert cited and cited <= set(bibliography)
    for key in cited:
        assert f"[{key}] {bibliography[key]['title']}" in sources


def test_learner_text_is_escaped():
    """Is everything a learner typed escaped, so it cannot inject markup or scripts?"""
    assessment = Assessment.blank('<script>alert("x")</script>')
    assessment.set_response("PRE1", rating=1, organizations=["<b>Org</b> (fictional)"])
    assessment.context["CTX1"] = '<img src=x onerror="alert(1)"> & more'
    inventory = [InventoryEntry("<i>Shelter</i> (fictional)", how_to_refer="<a href=x>here</a>")]
    html = render_report(assessment, inventory, today=DAY)
    assert "<script>alert" not in html and 'onerror="alert' not in html
    assert "<b>Org" not in html and "<i>Shelter" not in html and "<a href=x>" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x" in html


def test_blank_assessment_reports(example_html):
    """Does a blank assessment produce a report that says nothing is rated yet?"""
    text = parse(render_report(Assessment.blank(""), today=DAY)).text()
    assert "Unnamed community" in text and "30 of 30 indicators are not rated yet" in text
    assert "Not answered yet." in text and "Resource inventory" not in text


def test_inventory_section(example_html):
    """Does the report list the inventory and count organizations per area?"""
    text = parse(example_html).text()
    assert "| Restoration | 1" in text
    assert "Riverside Legal Aid (fictional)" in text


def test_write_report_is_atomic(tmp_path):
    """Does writing a report over an old one keep the old one as .bak?"""
    path = tmp_path / "report.html"
    write_report(Assessment.blank("First (fictional)"), path, today=DAY)
    write_report(Assessment.blank("Second (fictional)"), path, today=DAY)
    assert "Second" in path.read_text(encoding="utf-8")
    assert "First" in backup_path(path).read_text(encoding="utf-8")
