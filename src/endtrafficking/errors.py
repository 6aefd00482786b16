"""Errors a person can fix: each names the file, the place, the problem and the fix."""

from __future__ import annotations

from pathlib import Path


class CourseInputError(ValueError):
    """A file or value handed to the package is wrong in a way a person can fix.

    The message always says where (file, row or field), what is wrong, and how to
    fix it. The CLI prints it without a traceback and exits with status 2; the
    widgets show it in a friendly box.
    """

    def __init__(
        self,
        problem: str,
        *,
        fix: str,
        file: str | Path | None = None,
        where: str | None = None,
    ) -> None:
        self.problem = problem
        self.fix = fix
        self.file = str(file) if file is not None else None
        self.where = where
        super().__init__(self.render())

    def render(self) -> str:
        """The message as one readable paragraph."""
        place = []
        if self.file:
            place.append(self.file)
        if self.where:
            place.append(self.where)
        head = f"{': '.join(place)}: " if place else ""
        return f"{head}{self.problem} How to fix it: {self.fix}"


class FrameworkError(CourseInputError):
    """The framework file (focus areas, indicators, scale) is broken."""


class AssessmentFileError(CourseInputError):
    """A community-assessment file (JSON, CSV or XLSX) cannot be read as it is."""
