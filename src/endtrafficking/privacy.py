"""Guarding free text against details that could identify a person.

No exercise asks for information about a victim or survivor. Free-text fields
still run :func:`privacy_warnings` on what a learner types, and warn, kindly,
when it looks like it holds:

- a personal email address (an organization's public mailbox, such as
  ``intake@...`` or ``info@...``, is fine);
- a phone number that is not a known hotline;
- a person's name next to an age or a detail of what happened to them
  ("Ana, 15, ...", "Maria was trafficked ...", "the survivor, Ana, ...");
- a street address, apartment or room number;
- a date of birth.

These are cautious guesses built from patterns, never a refusal: the widgets
show the warning and keep what was typed. Organization names (capitalised
words with an organization word such as *County*, *Shelter* or *Coalition*,
the organizations the course names, and anything marked ``(fictional)``) are
not taken for personal names.
"""

from __future__ import annotations

import re

#: Public numbers the course may show (see course/bibliography.yaml, F3-F5).
HOTLINE_NUMBERS = {"18883737888", "233733"}

#: Mailbox names that belong to a role or a service, not to one person.
ROLE_MAILBOXES = frozenset(
    """
    access admin advocacy advocate advocates appointments assist assistance care careers
    case casemanagement comms communications community contact contactus coordinator crisis
    donate donations education enquiries enquiry events families frontdesk general hello help
    helpdesk helpline hotline hr info information inquiries inquiry intake jobs learning mail
    main media noreply office outreach partners partnerships press programmes programs
    reception referral referrals safety service services shelter staff support taskforce
    team training volunteer volunteers youth
    """.split()
)

#: Organizations the course itself names; never mistaken for a person.
KNOWN_ORGANIZATIONS = (
    "Polaris Project",
    "Polaris",
    "International Justice Mission",
    "Not For Sale",
    "Engage Together",
    "Blue Campaign",
    "Blue Lightning Initiative",
    "Rescue & Restore",
    "Rescue and Restore",
    "National Human Trafficking Hotline",
    "Community Tool Box",
    "Walk Free",
    "SOAR",
)

#: Words that make a run of capitalised words an organization or a place, not a person.
ORGANIZATION_WORDS = frozenset(
    """
    academy agency alliance association authority bank board bureau campaign care center
    centre charities charity church city clinic club coalition college committee company
    corp corporation council county court department dept district faith foundation force
    fund group health home homes hospital hotel hotline house inc initiative institute
    international justice league line llc ltd ministries ministry mission mosque motel
    network office partners partnership police program programme project rescue restore
    school services shelter sheriff society state synagogue task team temple town township
    trust union university village
    """.split()
)

#: Capitalised words that start sentences or name things, and are not personal names.
NOT_NAMES = frozenset(
    """
    a about after all also although an and another any anyone april are as at august because
    before both boys but by children december during each every everyone families february few
    for friday from girls he her here his how i if in it its january july june last later many
    march may men monday more most my next no nobody none not november now october of on once one
    or other others our people saturday september several she since so some someone sometimes
    students sunday survivors that the their then there these they this those thursday to today
    tuesday two us victims was we wednesday were what when where which while who why with women
    workers yesterday you young your youth
    """.split()
)

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w])(?:\+?\d[\d\s().-]{5,}\d)(?![\w])")
#: Dates and year ranges ("2023-2024", "2024-01-15", "2019 - 2021") are not phone numbers.
_DATE_LIKE = re.compile(
    r"^(?:(?:19|20)\d\d\s*[-/–]\s*(?:19|20)\d\d|(?:19|20)\d\d[-/]\d{1,2}[-/]\d{1,2}"
    r"|\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d\d)$"
)
_STREET_TYPES = (
    r"Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Way|Terrace|Circle|"
    r"Highway|Hwy|Parkway|Pkwy|Square|Crescent|Trail"
)
_ADDRESS = re.compile(
    r"\b\d{1,6}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:[A-Z][a-z]+|\d{1,3}(?:st|nd|rd|th))"
    rf"(?:\s+[A-Z][a-z]+){{0,3}}\s+(?i:{_STREET_TYPES})\b"
    r"|\b(?i:apt|apartment|flat|unit)\.?\s*#?\s*\d+[A-Za-z]?\b"
    r"|\b(?i:room|rm)\.?\s*#?\s*\d{2,4}\b"
)
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d\d|(?:19|20)\d\d-\d{1,2}-\d{1,2}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+(?:19|20)\d\d)?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+(?:19|20)\d\d)?"
    rf"|(?:in\s+)?{_MONTH}\s+(?:19|20)\d\d)"
)
_DATE_OF_BIRTH = re.compile(
    rf"\b(?:d\.?o\.?b\.?|date\s+of\s+birth|birth\s*date|birthday|born(?:\s+on)?)\s*[:\-]?\s*"
    rf"(?:is\s+|was\s+|the\s+)?{_DATE}",
    re.IGNORECASE,
)

# ----------------------------------------------------------------- names with details
_NAME_TOKEN = r"(?:[A-Z]'[A-Z][a-z]+|[A-Z][a-z]+(?:-[A-Z]?[a-z]+|'(?!s\b)[A-Z]?[a-z]+)*)"
_NAME_RUN = re.compile(rf"(?<![\w'-]){_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,2}}(?![\w-])")
_AGE_NUMBER = r"\d{1,2}(?!\d)"
_AGE_END = r"(?=\s*(?:[.,;:!?)]|$|-?\s*years?\b|yrs?\b|when\b|and\b|but\b))"
#: An age right after a name: "Ana, 15,", "Ana (15)", "Ana is 15", "Ana, a 15-year-old".
_AGE_AFTER = re.compile(
    rf"^\s*(?:,|\()\s*(?:aged?\s*)?{_AGE_NUMBER}{_AGE_END}"
    rf"|^\s*,?\s*(?:who\s+)?(?:is|was|turned|aged?)\s+(?:only\s+|just\s+)?{_AGE_NUMBER}{_AGE_END}"
    rf"|^\s*,\s*(?:an?|the)\s+{_AGE_NUMBER}[- ]?(?:years?|yrs?)[- ]old\b",
    re.IGNORECASE,
)
_CASE_VERBS = (
    r"trafficked|exploited|abused|assaulted|raped|groomed|rescued|recruited|sold|coerced|"
    r"pimped|arrested|detained|beaten|threatened|forced\s+(?:to\s+work|into|to\s+sell)"
)
#: What happened to the person, right after the name: "Maria was trafficked", "Ana ran away".
_CASE_AFTER = re.compile(
    rf"^\s*,?\s*(?:who\s+)?(?:was|were|is|has\s+been|had\s+been|got|is\s+being|was\s+being)"
    rf"\s+(?:\w+\s+)?(?:{_CASE_VERBS})\b"
    r"|^\s*(?:disclosed|ran\s+away|escaped|came\s+forward)\b",
    re.IGNORECASE,
)
_STRONG_ROLES = r"victims?|survivors?|clients?|patients?|runaways?"
_PERSON_NOUNS = (
    rf"{_STRONG_ROLES}|girl|boy|woman|man|child|teen(?:ager)?|student|daughter|son|niece|"
    r"nephew|sister|brother|friend|classmate|neighbou?r|worker|person|mother|father|aunt|"
    r"uncle|cousin|guest|passenger|employee|resident"
)
#: Naming someone as a victim, survivor, client or patient is itself a case detail.
_STRONG_BEFORE = re.compile(rf"\b(?:{_STRONG_ROLES})\s*,?\s*(?:named\s+|called\s+)?$", re.I)
_STRONG_AFTER = re.compile(
    rf"^\s*,\s*(?:a|an|the|our|my|one)\s+(?:{_AGE_NUMBER}[- ]years?[- ]old\s+)?"
    rf"(?:{_STRONG_ROLES})\b",
    re.IGNORECASE,
)
_PERSON_BEFORE = re.compile(
    rf"(?:\b(?:{_PERSON_NOUNS}|someone|somebody|{_AGE_NUMBER}[- ]years?[- ]old)\s*,?\s*"
    r"(?:named\s+|called\s+)?|\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+)$",
    re.IGNORECASE,
)
_ABUSER_AFTER = re.compile(r"^'s\s+(?:trafficker|pimp|abuser|exploiter)\b", re.IGNORECASE)
_AGE_ANYWHERE = re.compile(
    rf"\b{_AGE_NUMBER}[- ]?(?:years?|yrs?)[- ]old\b|\baged?\s*:?\s*{_AGE_NUMBER}{_AGE_END}",
    re.IGNORECASE,
)
_CASE_ANYWHERE = re.compile(
    rf"\b(?:{_CASE_VERBS}|ran\s+away|disclosed|trafficker|pimp)\b", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bMrs)(?<!\bSt)[.!?]+\s+|\n+")

EMAIL_WARNING = (
    "This looks like a personal email address. Please don't record individuals' contact "
    "details here; name organizations and roles instead. An organization's public intake "
    "or info address is fine."
)
PHONE_WARNING = (
    "This looks like a phone number. Please don't record anyone's personal number; "
    "an organization's public referral line is fine in the resource inventory."
)
NAME_WARNING = (
    "This may name a person together with their age or what happened to them. Please take "
    "the name (or the details) out: write about services, roles and organizations, never "
    "about one person. If it is the name of an organization, you can ignore this note."
)
ADDRESS_WARNING = (
    "This looks like a street address or a room number. If it is where a person lives or "
    "stays, please take it out; an organization's public office address is fine in the "
    "resource inventory."
)
BIRTH_DATE_WARNING = (
    "This looks like a date of birth. Please take it out: together with other details a "
    "birth date can identify a person, and no exercise needs one."
)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def is_role_mailbox(address: str) -> bool:
    """Whether an email address belongs to a role or service (``intake@``, ``info@``...)."""
    local = address.split("@", 1)[0].casefold()
    words = [w for w in re.split(r"[._+\-\d]+", local) if w]
    return any(w in ROLE_MAILBOXES for w in words)


def personal_emails(text: str) -> list[str]:
    """Email addresses in ``text`` that do not belong to a role or a service."""
    return [m.group() for m in _EMAIL.finditer(text) if not is_role_mailbox(m.group())]


def personal_phone_numbers(text: str) -> list[str]:
    """Phone-like numbers in ``text`` that are not dates, small counts or the hotline."""
    found = []
    for match in _PHONE.finditer(text):
        digits = _digits(match.group())
        if _DATE_LIKE.match(match.group().strip()):
            continue
        if len(digits) < 7 or digits in HOTLINE_NUMBERS or digits.lstrip("1") == "8883737888":
            continue
        found.append(match.group())
    return found


def street_addresses(text: str) -> list[str]:
    """Street addresses, apartment and room numbers in ``text``."""
    return [m.group() for m in _ADDRESS.finditer(text)]


def dates_of_birth(text: str) -> list[str]:
    """Dates written as someone's date of birth ("born on 3 May 2009", "DOB 04/12/2009")."""
    return [m.group() for m in _DATE_OF_BIRTH.finditer(text)]


def _without_organizations(text: str) -> str:
    """``text`` with the course's organizations and ``(fictional)`` names blanked out."""
    for name in KNOWN_ORGANIZATIONS:
        text = re.sub(rf"\b{re.escape(name)}\b", lambda m: "#" * len(m.group()), text)
    return re.sub(
        rf"{_NAME_TOKEN}(?:\s+{_NAME_TOKEN})*\s*\(fictional\)",
        lambda m: "#" * len(m.group()),
        text,
    )


def _name_candidates(sentence: str) -> list[tuple[int, int]]:
    """Spans of capitalised words that could be a personal name (not an organization)."""
    spans = []
    for match in _NAME_RUN.finditer(sentence):
        tokens = list(re.finditer(_NAME_TOKEN, match.group()))
        while tokens and tokens[0].group().casefold() in NOT_NAMES:
            tokens.pop(0)
        words = {t.group().casefold() for t in tokens}
        if not tokens or words & NOT_NAMES or words & ORGANIZATION_WORDS:
            continue
        following = sentence[match.end() :].split(maxsplit=1)
        if following and following[0].strip(",.;:").casefold() in ORGANIZATION_WORDS:
            continue
        spans.append((match.start() + tokens[0].start(), match.end()))
    return spans


def _names_a_person_with_details(sentence: str, start: int, end: int) -> bool:
    """Whether the name at ``sentence[start:end]`` comes with an age or a case detail."""
    before, after = sentence[max(0, start - 40) : start], sentence[end : end + 60]
    if _AGE_AFTER.search(after) or _CASE_AFTER.search(after) or _ABUSER_AFTER.search(after):
        return True
    if _STRONG_BEFORE.search(before) or _STRONG_AFTER.search(after):
        return True
    details = _AGE_ANYWHERE.search(sentence) or _CASE_ANYWHERE.search(sentence)
    return bool(details and _PERSON_BEFORE.search(before))


def names_with_details(text: str) -> list[str]:
    """Personal names in ``text`` that stand next to an age or a detail of a case."""
    found = []
    for sentence in _SENTENCE_END.split(_without_organizations(text)):
        for start, end in _name_candidates(sentence):
            if _names_a_person_with_details(sentence, start, end):
                found.append(sentence[start:end])
    return found


def privacy_warnings(text: str) -> list[str]:
    """One kind warning per kind of identifying detail found in ``text`` (none if clean).

    The order is: personal email, phone number, a name with an age or case
    detail, a street address or room number, a date of birth.
    """
    text = text or ""
    checks = (
        (personal_emails, EMAIL_WARNING),
        (personal_phone_numbers, PHONE_WARNING),
        (names_with_details, NAME_WARNING),
        (street_addresses, ADDRESS_WARNING),
        (dates_of_birth, BIRTH_DATE_WARNING),
    )
    return [warning for finder, warning in checks if finder(text)]
