"""A self-contained HTML report of a community assessment, for community partners.

Partners who never open Jupyter get one HTML file: charts embedded as PNG data
URIs (no external files, no scripts), each chart followed by its text or table
equivalent, the readiness summary and balance message, the ranked gaps with a
suggested engagement option, the answers to the supporting sections, the
resource inventory if there is one, a safeguards footer and the sources of
every claim. Everything a learner typed is HTML-escaped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined

from endtrafficking.assessment import Assessment
from endtrafficking.inventory import InventoryEntry, area_names, coverage_by_area
from endtrafficking.paths import data_file
from endtrafficking.plots import (
    heatmap_table,
    heatmap_text,
    indicator_heatmap,
    radar_chart,
    radar_text,
    to_data_uri,
)
from endtrafficking.safe_save import atomic_write
from endtrafficking.scoring import area_scores, gaps, readiness

if TYPE_CHECKING:
    from endtrafficking.coalition.combine import Combination

TEMPLATE = "report.html.j2"
BIBLIOGRAPHY_FILE = "bibliography.yaml"
#: Sources of the safeguards footer: aggregate data only, trauma-informed practice.
SAFEGUARD_SOURCES = ("F4", "F9", "O4")
UNNAMED = "Unnamed community"


@dataclass(frozen=True)
class Source:
    """One bibliography entry cited by the report."""

    key: str
    title: str
    where: str


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("endtrafficking", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def load_bibliography(path: str | Path | None = None) -> dict[str, dict[str, str]]:
    """The course bibliography (key -> title, where); empty if the file is missing."""
    path = Path(path) if path is not None else data_file(BIBLIOGRAPHY_FILE)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def cited_sources(keys: list[str], bibliography: dict[str, Any] | None = None) -> list[Source]:
    """The bibliography entries for ``keys``, in first-cited order, without repeats."""
    bibliography = load_bibliography() if bibliography is None else bibliography
    out: list[Source] = []
    for key in dict.fromkeys(k for k in keys if k):
        entry = bibliography.get(key) or {}
        out.append(
            Source(
                key=key,
                title=str(entry.get("title", "(not listed in the course bibliography)")),
                where=str(entry.get("where", "")),
            )
        )
    return out


def _keys(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join(values)


def report_context(
    assessment: Assessment,
    inventory: list[InventoryEntry] | None = None,
    today: dt.date | None = None,
    *,
    coalition: Combination | None = None,
    since: Assessment | None = None,
) -> dict[str, Any]:
    """Everything the report template shows, as plain data (charts as data URIs).

    ``coalition`` (a combined assessment's partners) adds the agreement heatmap and
    the discussion list; ``since`` (an earlier assessment) adds progress since then.
    """
    fw = assessment.framework
    scores = area_scores(assessment)
    ready = readiness(assessment)
    gap_frame = gaps(assessment)
    radar_fig = radar_chart(scores)
    heat_fig = indicator_heatmap(assessment)
    cited: list[str] = []

    areas = []
    for area in fw.areas:
        row = scores.loc[area.id]
        cited.extend(area.sources)
        areas.append(
            {
                "name": area.name,
                "coverage": f"{row['coverage']:.0f}",
                "rated": int(row["rated"]),
                "indicators": int(row["indicators"]),
                "organizations": int(row["organizations"]),
                "sources": _keys(area.sources),
                "weakest": area.name == ready.balance.weakest,
            }
        )
    gap_rows = []
    for record in gap_frame.to_dict("records"):
        source = fw.indicator(record["indicator_id"]).source or ""
        cited.append(source)
        rating = record["rating"]
        gap_rows.append(
            {
                "rank": record["rank"],
                "indicator_id": record["indicator_id"],
                "area": record["area"],
                "question": record["question"],
                "rating": "not rated" if rating is None or rating != rating else str(int(rating)),
                "rating_label": record["rating_label"],
                "severity": f"{record['severity']:.0f}",
                "option": record["option_label"],
                "reason": record["reason"],
                "organizations": record["organizations"],
                "source": source,
            }
        )
    heat_rows = [
        {
            "area": r["area"],
            "indicator_id": r["indicator_id"],
            "rating": "" if r["rating"] is None or r["rating"] != r["rating"] else int(r["rating"]),
            "rating_label": r["rating_label"],
        }
        for r in heatmap_table(assessment).astype(object).to_dict("records")
    ]
    sections = []
    for section in fw.sections:
        cited.extend(section.sources)
        sections.append(
            {
                "name": section.name,
                "purpose": section.purpose,
                "sources": _keys(section.sources),
                "answers": [
                    {"id": p.id, "prompt": p.prompt, "answer": assessment.context.get(p.id, "")}
                    for p in section.prompts
                ],
            }
        )
    inventory_view = None
    if inventory is not None:
        cover = coverage_by_area(inventory, fw)
        inventory_view = {
            "coverage": [
                {"area": r["area"], "count": int(r["organizations"])}
                for r in cover.to_dict("records")
            ],
            "entries": [
                {
                    "organization": e.organization,
                    "sector": e.sector,
                    "focus_areas": area_names(e.focus_areas, fw),
                    "service_type": e.service_type,
                    "how_to_refer": e.how_to_refer,
                }
                for e in inventory
            ],
        }
    cited.extend(SAFEGUARD_SOURCES)
    extras = _extra_views(assessment, coalition, since)
    return {
        **extras,
        "community": assessment.community or UNNAMED,
        "fictional": assessment.fictional,
        "date": (today or dt.date.today()).isoformat(),
        "framework_title": fw.title,
        "framework_version": fw.version,
        "scale": [{"value": lv.value, "label": lv.label} for lv in fw.scale],
        "readiness": ready,
        "balance": ready.balance,
        "areas": areas,
        "gaps": gap_rows,
        "radar_uri": to_data_uri(radar_fig),
        "radar_alt": radar_text(scores),
        "heatmap_uri": to_data_uri(heat_fig),
        "heatmap_alt": heatmap_text(assessment),
        "heatmap_rows": heat_rows,
        "sections": sections,
        "inventory": inventory_view,
        "safeguard_sources": _keys(SAFEGUARD_SOURCES),
        "sources": cited_sources(cited),
    }


def _extra_views(
    assessment: Assessment, coalition: Combination | None, since: Assessment | None
) -> dict[str, Any]:
    """The coalition and progress parts (None when not asked for)."""
    coalition_part = progress_part = None
    if coalition is not None or since is not None:
        from endtrafficking.coalition.compare import compare_assessments
        from endtrafficking.coalition.report_views import coalition_view, progress_view

        if coalition is not None:
            coalition_part = coalition_view(coalition)
        if since is not None:
            progress_part = progress_view(compare_assessments(since, assessment))
    return {"coalition": coalition_part, "progress": progress_part}


def render_report(
    assessment: Assessment,
    inventory: list[InventoryEntry] | None = None,
    today: dt.date | None = None,
    *,
    coalition: Combination | None = None,
    since: Assessment | None = None,
) -> str:
    """The report as one self-contained HTML document."""
    context = report_context(assessment, inventory, today, coalition=coalition, since=since)
    return _environment().get_template(TEMPLATE).render(**context)


def write_report(
    assessment: Assessment,
    path: str | Path,
    inventory: list[InventoryEntry] | None = None,
    today: dt.date | None = None,
    *,
    coalition: Combination | None = None,
    since: Assessment | None = None,
) -> Path:
    """Write the report to ``path`` atomically (the previous file is kept as ``.bak``)."""
    html = render_report(assessment, inventory, today, coalition=coalition, since=since)
    return atomic_write(Path(path), html)
