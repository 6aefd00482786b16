"""Course text is sourced, safe and honest about its examples.

Scans the lesson notebooks (markdown and code cells), Markdown and YAML files
under ``modules/``, ``engage_lessons/`` and ``course/`` (nbgrader's generated
folders excluded) and checks that:

- every ``[KEY]`` citation is a key of ``course/bibliography.yaml``;
- the only phone numbers are the hotline numbers in CONTENT_FACTS
  (1-888-373-7888, text 233733);
- no forbidden term (for example "child prostitute") appears;
- every mention of the example community or its organizations says "fictional";
- what issue 12's content review corrected stays corrected (rules in
  ``tests/content_rules.py``): the coalition standard (10 members, 2004), services
  and cooperation with law enforcement (the T visa exception), credit to Engage
  Together's "The Space Between" where the steps and options are introduced, no
  chain imagery, no "10 short lessons", no all-demand wording, learner text that
  reads right in the course view, true privacy promises, and IJM's own pages.
  Where today's graded checkpoints break a rule, an explicit list says so.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from content_rules import CREDIT, RULES
from content_scan import BIBLIOGRAPHY, REPO_ROOT, Unit, all_units, course_files, notebook_text

from endtrafficking.course_meta import cited_keys, load_bibliography, load_course
from endtrafficking.examples import example_assessment, example_inventory
from endtrafficking.lesson_views import course_map
from endtrafficking.roles import load_roles

#: The only numbers course text may show: the US National Human Trafficking Hotline [F3, F5].
HOTLINE_DIGITS = {"18883737888", "8883737888", "233733"}
PHONE = re.compile(
    r"(?<![\w.])(?:\+?\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)\s?|\d{2,4}[\s.-])\d{3,4}[\s.-]?\d{3,4}(?![\w.])"
)
URL = re.compile(r"https?://\S+")
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


def phone_numbers(text: str) -> list[str]:
    """Every phone-like number in ``text``, as digits (web addresses left out)."""
    text = URL.sub(" ", text)
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


# --------------------------------------------------------------------------- issue 12
# Corrections from the content review (issue 12), each kept as a rule (tests/content_rules.py)
# so that it cannot come back unnoticed.

#: Where the graded checkpoints (course/source/) break a rule: (file, cell) pairs, per
#: rule. Every break once listed here is fixed (the checkpoints are answered with
#: widgets now); a new break fails.
CHECKPOINT_BREAKS: dict[str, set[tuple[str, str]]] = {
    "coalition": set(),
    "services": set(),
    "four_steps": set(),
    "wording": set(),
    "learner_view": set(),
    "sources": set(),
}


def rule_breaks(rule: str) -> list[tuple[str, str, str]]:
    """Every unit that breaks ``rule``: (file, where, problem)."""
    check = RULES[rule]
    return [(u.rel, u.where, p) for u in all_units() for p in [check(u)] if p]


@pytest.mark.parametrize("rule", sorted(RULES))
def test_issue_12_corrections_stay_in_place(rule):
    """Does no course text outside the checkpoints bring back what issue 12 corrected?"""
    bad = [f"{f} ({w}): {p}" for f, w, p in rule_breaks(rule) if not f.startswith("course/source")]
    assert not bad, f"{RULES[rule].__doc__}\n" + "\n".join(bad)


@pytest.mark.parametrize("rule", sorted(RULES))
def test_checkpoints_break_no_rule_beyond_the_known_list(rule):
    """Do today's checkpoints break each rule only where the explicit list says?"""
    found = {(f, w) for f, w, _ in rule_breaks(rule) if f.startswith("course/source")}
    new = sorted(found - CHECKPOINT_BREAKS[rule])
    assert not new, f"new checkpoint breaks of {rule!r}: {new}"


@pytest.mark.parametrize(
    ("rule", "wrong", "right"),
    [
        (
            "coalition",
            "Rescue & Restore coalitions gather representatives of at least ten sectors.",
            "In 2004 Rescue & Restore asked for at least 10 members from several sectors.",
        ),
        (
            "services",
            "Victim services do not require cooperation with law enforcement [S4].",
            "Most services do not depend on cooperation [S4]; a T visa can [L1].",
        ),
        (
            "four_steps",
            "The course has four steps: Strategy, Possibility, Context and Engage.",
            "Engage Together's four steps: Strategy, Possibility, Context and Engage [E10].",
        ),
        ("wording", "The areas are like links in a chain.", "The areas are parts of one system."),
        ("wording", "After the four steps, 10 short lessons follow.", "9 short lessons follow."),
        ("learner_view", "Run the cell below to see the chart.", "The chart below shows it."),
        (
            "learner_view",
            "Your answers are seen only by you unless you share them.",
            "Only you see them on a laptop; on a hub your instructors can too.",
        ),
        (
            "sources",
            "IJM transforms public justice systems [I1].",
            "IJM strengthens justice systems [I2].",
        ),
        ("sources", "The hotline is open 24/7 [F3].", "The hotline is open 24/7 [F3, F5]."),
    ],
)
def test_each_rule_flags_the_old_wording_and_passes_the_correction(rule, wrong, right):
    """Does each issue-12 rule catch the wording the review corrected, and pass the fix?"""
    unit = Unit(BIBLIOGRAPHY, "sample", wrong)
    assert RULES[rule](unit), wrong
    assert RULES[rule](Unit(BIBLIOGRAPHY, "sample", right)) is None, right


LESSON_FOLDERS = ("modules", "engage_lessons")


def lesson_notebooks() -> list[Path]:
    """The learner notebooks of the modules and the engage lessons."""
    return [p for folder in LESSON_FOLDERS for p in sorted((REPO_ROOT / folder).glob("*.ipynb"))]


def test_every_lesson_credits_engage_together_where_it_uses_the_steps_or_options():
    """Does every lesson that names a step or the three ways to engage credit Engage Together?"""
    bad = []
    for path in lesson_notebooks():
        text = notebook_text(path)
        uses = re.search(r"come alongside", text, re.I) or re.search(r"\bStep [1-4]\b", text)
        if uses and not CREDIT.search(text):
            bad.append(path.name)
    assert not bad, f"credit Engage Together's 'The Space Between' [E10] in: {bad}"


def test_readme_credits_the_space_between_and_cites_the_hotline():
    """Does the README credit "The Space Between" and cite F5 for the hotline line?"""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert "The Space Between" in readme and "Engage Together" in readme
    assert "Freedom Strategy" in readme
    hotline = next(p for p in re.split(r"\n\s*\n", readme) if "1-888-373-7888" in p)
    assert "F5" in cited_keys(hotline)


def test_welcome_module_teaches_widgets_not_code_cells():
    """Does the welcome module teach using a widget exercise, and say who can see answers?"""
    welcome = next(m for m in load_course().modules if m.id == "00_welcome")
    assert "Use a widget exercise." in welcome.objectives
    assert not any("code cell" in o.lower() for o in welcome.objectives)
    text = notebook_text(REPO_ROOT / "modules" / "00_welcome.ipynb")
    assert "my_work/" in text and "administrators" in text and "hand in" in text
    assert "Nobody has to share personal experience" in text


def test_course_map_counts_the_role_lessons_and_the_index():
    """Does the course map say how many role lessons there are (9), apart from the index?"""
    text = course_map().data
    roles = len(load_roles().roles)
    assert roles == 9 and f"{roles} short lessons for particular roles" in text
    assert 'href="../engage_lessons/00_index.ipynb"' in text


@pytest.mark.parametrize("key", ["E6", "S2", "S5", "H1", "P2", "F5", "E10", "I2", "L1", "L2"])
def test_sources_named_in_the_review_have_a_url_and_a_date(key):
    """Do the sources the review named (and the new ones) give their URL and date accessed?"""
    entry = yaml.safe_load(BIBLIOGRAPHY.read_text(encoding="utf-8"))[key]
    assert str(entry.get("url", "")).startswith("http")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(entry.get("accessed", "")))
