"""The community-assessment model: one response per indicator, answers to the
supporting sections, and the community's name (real or fictional)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from endtrafficking.framework import Framework, load_framework

_UNSET: object = object()
TABLE_COLUMNS = ("area", "indicator_id", "question", "rating", "evidence", "organizations", "notes")


def split_organizations(names: list[str] | str) -> list[str]:
    """Clean a list of organization names; ``;`` separates names inside one string."""
    parts = [names] if isinstance(names, str) else list(names)
    out: list[str] = []
    for part in parts:
        for name in part.replace("\n", ";").split(";"):
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

    def __post_init__(self) -> None:
        for ind_id in self.framework.indicator_ids:
            self.responses.setdefault(ind_id, Response())
        for prompt in self.framework.prompts:
            self.context.setdefault(prompt.id, "")
        unknown = set(self.responses) - set(self.framework.indicator_ids)
        if unknown:
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
        """Update one indicator; arguments left out keep their value."""
        current = self.responses[indicator_id]
        if rating is not _UNSET:
            if rating is not None and (
                not isinstance(rating, int) or not 0 <= rating <= self.framework.max_rating
            ):
                raise ValueError(
                    f"rating {rating!r} for {indicator_id} is not a whole number "
                    f"from 0 to {self.framework.max_rating}"
                )
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
            and self.responses == other.responses
            and self.context == other.context
            and self.framework.indicator_ids == other.framework.indicator_ids
        )
