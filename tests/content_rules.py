"""Rules for course text that issue 12's content review corrected.

Each rule takes a unit of course text (:class:`content_scan.Unit`) and returns
what is wrong with it, or None. ``tests/test_content_integrity.py`` runs every
rule over every unit, and checks that each rule catches the old wording.
"""

from __future__ import annotations

import re

from content_scan import Unit

from endtrafficking.course_meta import cited_keys

AT_LEAST_TEN = re.compile(r"\bat\s+least\s+(?:10|ten)\b", re.I)
TEN_MEMBERS = re.compile(r"\bat\s+least\s+(?:10|ten)\s+members\b", re.I)
TEN_SECTORS = re.compile(
    r"(?:at\s+least|minimum\s+of)\s+(?:10|ten)\s+(?:different\s+)?sectors", re.I
)
NOT_TEN_SECTORS = re.compile(r"\bnot\s+(?:ask\s+for\s+)?ten\s+sectors\b", re.I)
SERVICES = re.compile(r"\bservices?\b", re.I)
COOPERATION = re.compile(r"cooperat\w*|talk\w*\s+to\s+the\s+police|police\s+report|statement", re.I)
NEGATION = re.compile(r"\b(?:not|never|without|no)\b|n't\b", re.I)
IMMIGRATION = re.compile(r"T\s+visa|immigration|Continued\s+Presence|certification", re.I)
UNCONDITIONAL = re.compile(
    r"victim\s+services\s+do\s+not\s+require\s+cooperation"
    r"|declining\s+to\s+give\s+a\s+statement\s+does\s+not\s+remove",
    re.I,
)
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n\s*\n")
FOUR_STEPS = [
    re.compile(rf"\b{step}\b") for step in ("Strategy", "Possibility", "Context", "Engage")
]
CREDIT = re.compile(r"Engage\s+Together|\[[^\]]*\bE10\b[^\]]*\]")
NOT_THE_COURSES_OWN = re.compile(
    r"course's\s+own\s+(?:framework|reasoning|way\s+of\s+organi[sz]ing)"
    r"|engagement\s+options[^.]{0,120}\bcourse's\s+own"
    r"|focus\s+areas\s+(?:are|is)\s+(?:the\s+|this\s+)?course's\s+own",
    re.I,
)
CHAIN = re.compile(r"(?<!supply )\bchains?\b(?!\s+reaction)", re.I)
TEN_LESSONS = re.compile(r"\b(?:10|ten)\s+short\s+lessons\b", re.I)
ALL_DEMAND = re.compile(r"reduc\w*\s+(?:the\s+)?demand\s+for\s+commercial\s+sex", re.I)
ACT_ON_CODE = re.compile(
    r"\brun\s+(?:the|this|each|every|its|an?)\s+(?:\w+\s+)?(?:code\s+)?cells?\b"
    r"|Shift\s*\+\s*Enter|\bRun\s+button\b|\bpress\s+\*\*Run\b",
    re.I,
)
ONLY_YOU_SEE = re.compile(
    r"\bonly\s+you\s+(?:can\s+)?see\b|\bseen\s+only\s+by\s+you\b|\bonly\s+(?:be\s+)?seen\s+by\s+you\b",
    re.I,
)
IJM = re.compile(r"\bIJM\b|International\s+Justice\s+Mission")
JUSTICE_SYSTEMS = re.compile(r"\bjustice\s+systems?\b", re.I)
ALL_DAY = re.compile(r"24\s+hours\s+a\s+day|24/7|around\s+the\s+clock", re.I)


def coalition_rule(unit: Unit) -> str | None:
    """The Rescue & Restore standard is 10 members (not sectors), from a 2004 campaign."""
    text = unit.text
    if TEN_SECTORS.search(text) and not NOT_TEN_SECTORS.search(text):
        return "turns the coalition standard into 'at least 10 sectors'"
    if AT_LEAST_TEN.search(text) and re.search(r"sector|coalition|Rescue", text, re.I):
        if not TEN_MEMBERS.search(text):
            return "gives 'at least 10' without saying '10 members'"
        if "2004" not in text:
            return "gives the coalition standard without saying it is a 2004 campaign standard"
    return None


def services_rule(unit: Unit) -> str | None:
    """Saying services need no cooperation also says when immigration relief does."""
    if UNCONDITIONAL.search(unit.text):
        return "says victim services never depend on cooperation with law enforcement"
    for sentence in SENTENCE.split(unit.text):
        if SERVICES.search(sentence) and COOPERATION.search(sentence) and NEGATION.search(sentence):
            if not IMMIGRATION.search(unit.text):
                return "says services do not depend on cooperation, without the T visa exception"
    return None


def four_steps_rule(unit: Unit) -> str | None:
    """Where the four steps are introduced, Engage Together's "The Space Between" is credited."""
    if all(step.search(unit.text) for step in FOUR_STEPS) and not CREDIT.search(unit.text):
        return "introduces the four steps without crediting Engage Together [E10]"
    return None


def wording_rule(unit: Unit) -> str | None:
    """Wording the review corrected: the course's own framework, chains, demand, 10 lessons."""
    checks = (
        (NOT_THE_COURSES_OWN, "calls Engage Together's framework 'the course's own'"),
        (CHAIN, "uses chain imagery; say 'parts of one system'"),
        (TEN_LESSONS, "says '10 short lessons' (there are 9, plus the index)"),
        (ALL_DEMAND, "treats all demand for commercial sex as demand for trafficking"),
        (re.compile(r"mental-\s+health"), "'mental- health' is split"),
    )
    found = [problem for pattern, problem in checks if pattern.search(unit.text)]
    if "boyfriend" in unit.text.lower() and not re.search(r"girlfriend|partner", unit.text, re.I):
        found.append("a 'boyfriend' scenario; vary gender")
    return "; ".join(found) or None


def learner_view_rule(unit: Unit) -> str | None:
    """Learner text reads right in the course view, and privacy promises are true on a hub."""
    if not unit.for_learners or unit.kind == "code":
        return None
    if ACT_ON_CODE.search(unit.text):
        return "tells learners to run a cell; the course view has none to run"
    if ONLY_YOU_SEE.search(unit.text) and not re.search(r"\bhub\b|instructor", unit.text, re.I):
        return "promises 'only you see' without saying instructors can on a hub"
    return None


def sources_rule(unit: Unit) -> str | None:
    """IJM's model cites IJM's own pages; the 24/7 hotline claim cites F5."""
    keys = set(cited_keys(unit.text))
    if IJM.search(unit.text) and JUSTICE_SYSTEMS.search(unit.text) and not keys & {"I2", "I3"}:
        return "describes IJM's model without citing IJM's own pages [I2, I3]"
    if ALL_DAY.search(unit.text) and "F5" not in keys:
        return "says the hotline is open 24/7 without citing F5"
    return None


RULES = {
    "coalition": coalition_rule,
    "services": services_rule,
    "four_steps": four_steps_rule,
    "wording": wording_rule,
    "learner_view": learner_view_rule,
    "sources": sources_rule,
}
