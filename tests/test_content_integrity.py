"""Course text is sourced, safe and honest about its examples.

Scans the lesson notebooks (markdown and code cells), Markdown and YAML files
under ``modules/``, ``engage_lessons/`` and ``course/`` (nbgrader's generated
folders excluded) and checks that:

- every ``[KEY]`` citation is a key of ``course/bibliography.yaml``;
- the only phone numbers are the hotline numbers in CONTENT_FACTS
  (1-888-373-7888, text 233733);
- no forbidden term (for example "child prostitute") appears;
- every mention of the example community or its organizations says "fictional".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from endtrafficking.course_meta import cited_keys, load_bibliography
from endtrafficking.examples import example_assessment, example_inventory

REPO_ROOT = Path(__file__).resolve().parents[1]
#: Course text; package data (the banks, course.yaml, roles.yaml...) is linked from these
#: folders and scanned once, where it lives.
TEXT_FOLDERS = ("modules", "engage_lessons", "course", "src/endtrafficking/data")
SUFFIXES = (".ipynb", ".md", ".yaml", ".yml")
GENERATED = {"release", "submitted", "autograded", "feedback", "exports", ".ipynb_checkpoints"}
BIBLIOGRAPHY = REPO_ROOT / "course" / "bibliography.yaml"

#: The only numbers course text may show: the US National Human Trafficking Hotline [F3, F5].
HOTLINE_DIGITS = {"18883737888", "8883737888", "233733"}
PHONE = re.compile(
    r"(?<![\w.])(?:\+?\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)\s?|\d{2,4}[\s.-])\d{3,4}[\s.-]?\d{3,4}(?![\w.])"
)
LONG_NUMBER = re.compile(r"(?<![\d.])\d{7,15}(?![\d.])")
SHORT_CODE = re.compile(
    r"\b(?:text|txt|sms|call|dial|phone)\s+(?:us\s+)?(?:at\s+|to\s+|on\s+)?\**(\+?\d[\d\s().-]*\d)",
    re.IGNORECASE,
)
#: Terms that blame or label people; the course uses person-first language [P2, P3].
FORBIDDEN = {
    "child prostitute": re.compile(r"\bchild\s+prostitut\w*", re.IGNORECASE),
    "teen/underage/juvenile prostitute": re.compile(
        r"\b(?:teen(?:age)?|underage|juvenile|minor)\s+prostitut\w*", re.IGNORECASE
    ),
    "illegal alien": re.compile(r"\billegal\s+aliens?\b", re.IGNORECASE),
}


@dataclass(frozen=True)
class Unit:
    """A piece of course text: a notebook cell, a Markdown paragraph or a YAML file."""

    file: Path
    where: str
    text: str

    def __str__(self) -> str:
        return f"{self.file.relative_to(REPO_ROOT)} ({self.where})"


def course_files() -> list[Path]:
    """Every text file of the course in scope."""
    files = []
    for folder in TEXT_FOLDERS:
        for path in sorted((REPO_ROOT / folder).rglob("*")):
            rel = path.relative_to(REPO_ROOT / folder).parts
            if path.is_symlink() or not path.is_file() or path.suffix not in SUFFIXES:
                continue
            if not GENERATED & set(rel):
                files.append(path)
    return files


def text_units(path: Path) -> list[Unit]:
    """A file split into the units that the checks look at."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        return [
            Unit(path, f"cell {i}", "".join(cell.get("source", "")))
            for i, cell in enumerate(cells)
            if cell.get("cell_type") in ("markdown", "code")
        ]
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        return [
            Unit(path, f"paragraph {i + 1}", p) for i, p in enumerate(re.split(r"\n\s*\n", text))
        ]
    # YAML: one unit per top-level list item or mapping entry block, so a label nearby counts.
    blocks = re.split(r"\n(?=\s{0,4}- |\S)", text)
    return [Unit(path, f"block {i + 1}", b) for i, b in enumerate(blocks)]


def all_units(exclude_bibliography: bool = True) -> list[Unit]:
    """Every unit of every course file (the bibliography itself left out by default)."""
    return [
        unit
        for path in course_files()
        if not (exclude_bibliography and path == BIBLIOGRAPHY)
        for unit in text_units(path)
    ]


def phone_numbers(text: str) -> list[str]:
    """Every phone-like number in ``text``, as digits."""
    found = [m.group() for m in PHONE.finditer(text)]
    found += [m.group() for m in LONG_NUMBER.finditer(text)]
    found += [m.group(1) for m in SHORT_CODE.finditer(text)]
    return [re.sub(r"\D", "", n) for n in found]


def example_names() -> list[str]:
    """Names of the fictional example community and its organizations, without the label."""
    names = set()
    assessment = example_assessment()
    base = re.sub(r"\s*\(fictional\)", "", assessment.community, flags=re.IGNORECASE).strip()
    names.update({base, base.split()[0]})
    orgs = {o for r in assessment.responses.values() for o in r.organizations}
    orgs |= {e.organization for e in example_inventory()}
    for org in orgs:
        names.add(re.sub(r"\s*\(fictional\)", "", org, flags=re.IGNORECASE).strip())
    return sorted(n for n in names if len(n) > 3)


# --------------------------------------------------------------------------- the checks
def test_scope_is_not_empty():
    """Does the scan see the modules, their question banks and the course metadata?"""
    names = {p.name for p in course_files()}
    assert {"00_welcome.ipynb", "01_strategy.yaml", "course.yaml", "README.md"} <= names


def test_every_citation_is_in_the_bibliography():
    """Is every [KEY] cited in course text a key of course/bibliography.yaml?"""
    known = set(load_bibliography())
    unknown = [
        f"{unit}: [{key}]"
        for unit in all_units()
        for key in cited_keys(unit.text)
        if key not in known
    ]
    assert not unknown, "citations missing from course/bibliography.yaml:\n" + "\n".join(unknown)


#: A statistic in prose: "49.6 million", "12 %", "1 in 150", "10 percent".
FIGURE = re.compile(r"\d[\d,.]*\s*(?:million|billion|thousand|%|percent)\b|\b1 in \d+", re.I)


def uncited_figures(text: str) -> list[str]:
    """Lines of ``text`` that state a statistic without citing a source key."""
    return [
        line.strip() for line in text.splitlines() if FIGURE.search(line) and not cited_keys(line)
    ]


@pytest.mark.parametrize(
    ("line", "flagged"),
    [
        ("About 49.6 million people were in modern slavery in 2021.", True),
        ("About 49.6 million people were in modern slavery in 2021 [F1].", False),
        ("Roughly 1 in 150 people worldwide [F1, F2].", False),
        ("Rate each indicator from 0 to 3.", False),
    ],
)
def test_figure_pattern(line, flagged):
    """Does the figure check flag an uncited statistic, and only that?"""
    assert bool(uncited_figures(line)) is flagged


def test_every_figure_cites_a_source():
    """Does every line of course text that states a statistic cite a source key?"""
    bare = [f"{unit}: {line}" for unit in all_units() for line in uncited_figures(unit.text)]
    assert not bare, "figures without a [KEY] citation:\n" + "\n".join(bare)


def test_only_hotline_numbers_appear():
    """Are the only phone numbers in course text the hotline numbers from CONTENT_FACTS?"""
    bad = [
        f"{unit}: {number}"
        for unit in all_units()
        for number in phone_numbers(unit.text)
        if number not in HOTLINE_DIGITS
    ]
    assert not bad, "phone numbers that are not the hotline:\n" + "\n".join(bad)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call 1-888-373-7888 or text 233733", ["18883737888", "233733"]),
        ("ring (555) 123-4567 today", ["5551234567"]),
        ("+44 20 7946 0958", ["442079460958"]),
        ("Text 12345 now", ["12345"]),
        ("in 2009 and 2016-2021, 49.6 million, 1 in 150", []),
    ],
)
def test_phone_pattern(text, expected):
    """Does the phone check find numbers in common forms, and leave years and figures alone?"""
    assert sorted(set(phone_numbers(text))) == sorted(expected)


def test_no_forbidden_terms():
    """Is course text free of terms that label or blame people (e.g. "child prostitute")?"""
    bad = [
        f"{unit}: {name}"
        for unit in all_units(exclude_bibliography=False)
        for name, pattern in FORBIDDEN.items()
        if pattern.search(unit.text)
    ]
    assert not bad, "use person-first language [P2, P3]:\n" + "\n".join(bad)


def test_example_data_is_labelled_fictional():
    """Do the example community and each of its organizations say they are fictional?"""
    assessment = example_assessment()
    assert assessment.fictional and "fictional" in assessment.community.lower()
    orgs = {o for r in assessment.responses.values() for o in r.organizations}
    orgs |= {e.organization for e in example_inventory()}
    unlabelled = sorted(o for o in orgs if "(fictional)" not in o.lower())
    assert not unlabelled, f"example organizations without '(fictional)': {unlabelled}"


def test_example_community_is_labelled_wherever_shown():
    """Does every cell or paragraph that names the example community also say 'fictional'?"""
    names = example_names()
    assert names, "no example names found"
    bad = [
        f"{unit}: mentions {name!r}"
        for unit in all_units()
        for name in names
        if name in unit.text and "fictional" not in unit.text.lower()
    ]
    assert not bad, "label the example as fictional where it is shown:\n" + "\n".join(bad)
