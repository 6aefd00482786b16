"""Partners' files: read each one, then check them together before anything is combined.

Each file is read with the course's own reader, so a broken file fails with
the same clear error as anywhere else (file, row, problem, fix). Then the
files are checked as a set: every file names its partner organization, no
partner sent two files, every file was made from this framework version, and
all describe one community. Each problem says which files and what the
coordinator can decide; nothing is combined until no problem is left.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from endtrafficking.assessment import Assessment
from endtrafficking.coalition.combine import Combination, combine_assessments
from endtrafficking.errors import CourseInputError
from endtrafficking.framework import Framework, label_key
from endtrafficking.privacy import privacy_warnings
from endtrafficking.saved_assessment import read_uploaded_assessment
from endtrafficking.storage import load_assessment


@dataclass(frozen=True)
class PartnerFile:
    """One partner's file, read. ``name`` is for messages only: it is never written out."""

    name: str
    assessment: Assessment

    @property
    def partner(self) -> str:
        """The partner organization the file names ("" if none)."""
        return self.assessment.partner


@dataclass(frozen=True)
class Problem:
    """Something about the set of files the coordinator must decide before combining."""

    kind: str
    files: tuple[str, ...]
    problem: str
    fix: str

    def render(self) -> str:
        """The problem and its fix as one paragraph."""
        return f"{', '.join(self.files)}: {self.problem} How to fix it: {self.fix}"


class CoalitionError(CourseInputError):
    """The partners' files cannot be combined yet; every problem is listed."""

    def __init__(self, problems: Sequence[Problem | CourseInputError]) -> None:
        self.problems = list(problems)
        lines = [p.render() if isinstance(p, Problem) else str(p) for p in self.problems]
        super().__init__(
            f"nothing was combined: {len(lines)} problem(s) to settle first.\n- "
            + "\n- ".join(lines),
            fix="settle each problem above, then combine again.",
        )


def read_partner_file(path: str | Path, framework: Framework) -> PartnerFile:
    """Read one partner's file (CourseInputError naming file and row if it cannot be read)."""
    path = Path(path)
    return PartnerFile(path.name, load_assessment(path, framework))


def read_partner_upload(name: str, content: bytes, framework: Framework) -> PartnerFile:
    """Read one uploaded partner file from its bytes."""
    base = Path(name.replace("\\", "/")).name or "upload"
    return PartnerFile(base, read_uploaded_assessment(name, content, framework))


def read_partner_files(
    paths: Iterable[str | Path], framework: Framework
) -> tuple[list[PartnerFile], list[CourseInputError]]:
    """Read every file; return the files read and the errors of those that could not be."""
    files: list[PartnerFile] = []
    errors: list[CourseInputError] = []
    for path in paths:
        try:
            files.append(read_partner_file(path, framework))
        except CourseInputError as exc:
            errors.append(exc)
    return files, errors


def _partner_problems(files: Sequence[PartnerFile]) -> list[Problem]:
    problems = []
    by_partner: dict[str, list[PartnerFile]] = {}
    for file in files:
        if not file.partner:
            problems.append(
                Problem(
                    "no_partner",
                    (file.name,),
                    "the file does not name the partner organization that filled it.",
                    "ask the partner to write their organization's name (never a person's) in "
                    "the PARTNER row at the top of the template, or write it there yourself.",
                )
            )
        elif privacy_warnings(file.partner):
            problems.append(
                Problem(
                    "partner_contact",
                    (file.name,),
                    "the partner name looks like contact details, not an organization's name.",
                    "write only the organization's name in the PARTNER row.",
                )
            )
        else:
            by_partner.setdefault(label_key(file.partner), []).append(file)
    for group in by_partner.values():
        if len(group) > 1:
            problems.append(
                Problem(
                    "duplicate_partner",
                    tuple(f.name for f in group),
                    f"{group[0].partner} sent {len(group)} files.",
                    "keep one file per partner: leave out the older or the draft copy (or ask "
                    "the partner which one counts).",
                )
            )
    return problems


def check_partner_files(
    files: Sequence[PartnerFile],
    framework: Framework,
    *,
    community: str | None = None,
    allow_other_versions: bool = False,
) -> list[Problem]:
    """Every problem with this set of files (an empty list: ready to combine).

    ``community`` is the coordinator's decision that files naming different
    communities describe one (spelt differently); ``allow_other_versions`` their
    decision to combine files that say they were made from another framework version.
    """
    if not files:
        return [Problem("none", ("(no files)",), "no partner file was given.", "add the files.")]
    problems = _partner_problems(files)
    other = [f for f in files if f.assessment.file_framework_version not in ("", framework.version)]
    if other and not allow_other_versions:
        versions = ", ".join(
            sorted({f"{f.name} says {f.assessment.file_framework_version}" for f in other})
        )
        problems.append(
            Problem(
                "framework_version",
                tuple(f.name for f in other),
                f"these files were made from another framework version ({versions}; this "
                f"course uses {framework.version}).",
                "ask the partner to copy their answers into the current blank template, leave "
                "the file out, or, if you checked that the questions are the same, combine them "
                "anyway (--allow-other-versions, or the box in the course).",
            )
        )
    names: dict[str, list[str]] = {}
    for file in files:
        if file.assessment.community:
            names.setdefault(label_key(file.assessment.community), []).append(file.name)
    if len(names) > 1 and community is None:
        shown = "; ".join(
            f"{next(f.assessment.community for f in files if f.name == group[0])} "
            f"({', '.join(group)})"
            for group in names.values()
        )
        problems.append(
            Problem(
                "community",
                tuple(n for group in names.values() for n in group),
                f"the files name different communities: {shown}.",
                "leave out the files from another community, or, if they are one community "
                "spelt differently, give the combined assessment its name (--community NAME, "
                "or the box in the course).",
            )
        )
    return problems


def combine_partner_files(
    files: Sequence[PartnerFile],
    framework: Framework,
    *,
    community: str | None = None,
    allow_other_versions: bool = False,
    assessed_on: str | None = None,
) -> Combination:
    """Check the files together, then combine them.

    Raises:
        CoalitionError: listing every problem; nothing is combined.
    """
    problems = check_partner_files(
        files, framework, community=community, allow_other_versions=allow_other_versions
    )
    if problems:
        raise CoalitionError(problems)
    return combine_assessments(
        [f.assessment for f in files], framework, community=community, assessed_on=assessed_on
    )
