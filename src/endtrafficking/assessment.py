"""The community-assessment model: one response per indicator, answers to the
supporting sections, and the community's name (real or fictional)."""

from __future__ import annotations

import numbers
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from endtrafficking.framework import Framework, load_framework

_UNSET: object = object()
TABLE_COLUMNS = ("area", "indicator_id", "question", "rating", "evidence", "organizations", "notes")
#: Characters that XML (so XLSX) cannot hold: C0 controls other than tab and
#: newline, lone surrogates (not UTF-8 either), and the two non-characters.
_UNSAVEABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Normalise free text so every file format holds it exactly.

    Line breaks become ``\\n``, characters that XLSX or UTF-8 cannot hold are
    dropped, and surrounding whitespace is stripped (spreadsheets lose it).
    Applying it twice changes nothing.
    """
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAVEABLE.sub("", text).strip()


def split_organizations(names: list[str] | str) -> list[str]:
    """Clean a list of organization names; ``;`` separates names inside one string."""
    parts = [names] if isinstance(names, str) else list(names)
    out: list[str] = []
    for part in parts:
        if not part:
            continue
        for name in clean_text(part).replace("\n", ";").split(";"):
            name = " ".join(name.split())
            if name and name not in out:
                out.append(name)
    return out


@dataclass
class Response:
    """A community team's answer to one indicator."""

    rating: int | None = None
    evidence: str = ""
    organizations: list[str] = field(default_factory=list)
    notes: str = ""

    def __post_init__(self) -> None:
        # Every way into the model goes through here, so the model only ever
        # holds text that JSON, CSV and XLSX all keep exactly (lossless saves).
        if self.evidence:
            self.evidence = clean_text(self.evidence)
        if self.notes:
            self.notes = clean_text(self.notes)
        if self.organizations:
            self.organizations = split_organizations(self.organizations)

    def is_blank(self) -> bool:
        """True when nothing at all has been entered."""
        return self.rating is None and not (self.evidence or self.organizations or self.notes)


@dataclass
class Assessment:
    """A community assessment against a framework.

    ``responses`` always holds one :class:`Response` per indicator of the
    framework, and ``context`` one answer (possibly empty) per section prompt.
    """

    framework: Framework
    community: str = ""
    fictional: bool = False
    responses: dict[str, Response] = field(default_factory=dict)
    context: dict[str, str] = field(default_factory=dict)
    updated: str = ""
    #: The day the assessment was made or last changed (ISO ``YYYY-MM-DD``; "" if unknown).
    assessed_on: str = ""
    #: The partner organization that filled this copy for a coalition ("" if none).
    partner: str = ""
    #: The framework version the file says it was made from ("" if it does not say).
    file_framework_version: str = ""

    def __post_init__(self) -> None:
        self.community = clean_text(self.community)
        self.partner = " ".join(clean_text(self.partner).split())
        for key, value in self.context.items():
            if value:
                self.context[key] = clean_text(value)
        ids = self.framework.indicator_ids
        responses = self.responses
        for ind_id in ids:
            if ind_id not in responses:
                responses[ind_id] = Response()
        for prompt in self.framework.prompts:
            self.context.setdefault(prompt.id, "")
        if len(responses) != len(ids):
            unknown = set(responses) - set(ids)
            raise KeyError(f"unknown indicator ids: {sorted(unknown)}")

    @classmethod
    def blank(cls, community: str = "", framework: Framework | None = None) -> Assessment:
        """An empty assessment for ``community`` (the course framework by default)."""
        return cls(framework=framework or load_framework(), community=community)

    def set_response(
        self,
        indicator_id: str,
        *,
        rating: int | None | object = _UNSET,
        evidence: str | None = None,
        organizations: list[str] | None = None,
        notes: str | None = None,
    ) -> None:
        """Update one indicator; arguments left out keep their value.

        Text is normalised with :func:`clean_text`, so what is set is what every
        file format saves and loads back.
        """
        current = self.responses[indicator_id]
        if rating is not _UNSET:
            if rating is not None:
                if (
                    isinstance(rating, bool)
                    or not isinstance(rating, numbers.Integral)
                    or not 0 <= rating <= self.framework.max_rating
                ):
                    raise ValueError(
                        f"rating {rating!r} for {indicator_id} is not a whole number "
                        f"from 0 to {self.framework.max_rating}"
                    )
                rating = int(rating)
            current = replace(current, rating=rating)
        if evidence is not None:
            current = replace(current, evidence=evidence)
        if organizations is not None:
            current = replace(current, organizations=split_organizations(organizations))
        if notes is not None:
            current = replace(current, notes=notes)
        self.responses[indicator_id] = current

    def touch(self) -> None:
        """Record the time of the last change (UTC, ISO 8601)."""
        self.updated = datetime.now(UTC).replace(microsecond=0).isoformat()

    @property
    def date(self) -> str:
        """When the assessment was made: ``assessed_on``, else the day of ``updated``, else ""."""
        return self.assessed_on or self.updated[:10]

    def ratings(self) -> np.ndarray:
        """Ratings in framework order, as floats, with NaN where not rated."""
        return np.array(
            [
                np.nan if self.responses[i].rating is None else float(self.responses[i].rating)
                for i in self.framework.indicator_ids
            ],
            dtype=float,
        )

    @property
    def rated_count(self) -> int:
        """How many indicators have a rating."""
        return sum(r.rating is not None for r in self.responses.values())

    def to_frame(self) -> pd.DataFrame:
        """One row per indicator: area, id, question, rating, evidence, organizations, notes."""
        rows = []
        for area in self.framework.areas:
            for ind in area.indicators:
                resp = self.responses[ind.id]
                rows.append(
                    {
                        "area": area.name,
                        "indicator_id": ind.id,
                        "question": ind.question,
                        "rating": resp.rating,
                        "evidence": resp.evidence,
                        "organizations": "; ".join(resp.organizations),
                        "notes": resp.notes,
                    }
                )
        frame = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
        frame["rating"] = frame["rating"].astype("Int64")
        return frame

    def organizations(self) -> list[str]:
        """Every organization named anywhere in the assessment, sorted, without repeats."""
        names = {o for r in self.responses.values() for o in r.organizations}
        return sorted(names, key=str.casefold)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Assessment):
            return NotImplemented
        return (
            self.community == other.community
            and self.fictional == other.fictional
            and self.partner == other.partner
            and self.responses == other.responses
            and self.context == other.context
            and self.framework.indicator_ids == other.framework.indicator_ids
        )
