"""Module 01 exercise: map three organizational models onto the six focus areas.

The learner ticks, for each part of each model (Polaris Project, IJM, Not For
Sale), the focus areas it serves. A coverage view (a table, a chart and a
sentence per area) shows which areas each model covers and which none covers,
and updates as they tick. "Check my mapping" compares their mapping with the
course's reading, which is DATA in ``course/models.yaml``: the mapping is the
course's interpretation, so a reasonable alternative reading gets an
explanation, never a flat "wrong".

Answers are saved on every change to ``work_dir()/model_mapping.json``
(autosave kind ``model_mapping``; state ``{"mapping": {model: {part: [area
ids]}}, "checked": bool}``) and restored when the exercise is built again.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd
from ipywidgets.widgets.widget_bool import CheckboxStyle

from endtrafficking.course_meta import _mtime, check_schema, load_bibliography, read_yaml
from endtrafficking.errors import CourseInputError
from endtrafficking.framework import Framework, load_framework
from endtrafficking.paths import data_file
from endtrafficking.widgets.autosave import AutosaveStore
from endtrafficking.widgets.messages import (
    error_text,
    notice_html,
    save_failed_html,
    saved_html,
    shown_or_explained,
)
from endtrafficking.widgets.svg_charts import grid_svg
from endtrafficking.workspace import MODEL_MAPPING_FILE

MODELS_FILE = "models.yaml"
SCHEMA_FILE = "models.schema.json"
STORE_KIND = "model_mapping"
#: Okabe-Ito colours that stay apart for colour-blind readers; "covers" is also written.

Mapping = dict[str, dict[str, list[str]]]


class ModelsFileError(CourseInputError):
    """course/models.yaml is missing or breaks its format."""


@dataclass(frozen=True)
class Part:
    """One part of an organizational model, with the course's reading of it."""

    id: str
    text: str
    reference: tuple[str, ...]
    explanation: str
    alternatives: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OrgModel:
    """An organizational model and its parts."""

    id: str
    name: str
    sources: tuple[str, ...]
    summary: str
    parts: tuple[Part, ...]
    teaching_summary: str = ""


@dataclass(frozen=True)
class Models:
    """Every model in course/models.yaml, validated."""

    interpretation_note: str
    models: tuple[OrgModel, ...]

    def model(self, model_id: str) -> OrgModel:
        """Look up a model by id (KeyError if unknown)."""
        for model in self.models:
            if model.id == model_id:
                return model
        raise KeyError(model_id)

    def reference_mapping(self) -> Mapping:
        """The course's reading as a mapping (model -> part -> area ids)."""
        return {m.id: {p.id: list(p.reference) for p in m.parts} for m in self.models}


@dataclass(frozen=True)
class PartFeedback:
    """How a learner's mapping of one part compares with the course's reading."""

    model: OrgModel
    part: Part
    status: str  # not_mapped, matches, reasonable, partly, differs
    lines: tuple[str, ...]


_STATUS_TEXT = {
    "not_mapped": "Not mapped yet.",
    "matches": "Matches the course's reading.",
    "reasonable": "A reasonable reading that differs from the course's.",
    "partly": "Part of the course's reading.",
    "differs": "Differs from the course's reading: see why.",
}


# --------------------------------------------------------------------------- loading
def parse_models(data: Any, path: str | Path, framework: Framework | None = None) -> Models:
    """Validate parsed models data against the schema, the framework and the bibliography.

    Raises:
        ModelsFileError: naming the file, the field, the problem and the fix.
    """
    if not isinstance(data, dict):
        raise ModelsFileError(
            "the file does not hold a mapping with 'interpretation_note' and 'models'.",
            fix="start from the models.yaml shipped with the course.",
            file=path,
        )
    check_schema(data, SCHEMA_FILE, path, ModelsFileError)
    framework = framework or load_framework()
    areas = {a.id for a in framework.areas}
    bib = load_bibliography()
    models = []
    model_ids: set[str] = set()
    for m_i, raw in enumerate(data["models"]):
        where = f"field models[{m_i}]"
        if raw["id"] in model_ids:
            raise ModelsFileError(
                f"the model id {raw['id']!r} is used twice.",
                fix="give every model its own id.",
                file=path,
                where=f"{where}.id",
            )
        model_ids.add(raw["id"])
        for s_i, key in enumerate(raw["sources"]):
            if key not in bib:
                raise ModelsFileError(
                    f"the source key {key!r} is not in course/bibliography.yaml.",
                    fix="cite a key listed in course/bibliography.yaml.",
                    file=path,
                    where=f"{where}.sources[{s_i}]",
                )
        parts = []
        for p_i, part in enumerate(raw["parts"]):
            p_where = f"{where}.parts[{p_i}]"
            if any(p.id == part["id"] for p in parts):
                raise ModelsFileError(
                    f"the part id {part['id']!r} is used twice in this model.",
                    fix="give every part of a model its own id.",
                    file=path,
                    where=f"{p_where}.id",
                )
            alternatives = dict(part.get("alternatives", {}))
            for field_name, ids in (
                ("reference", part["reference"]),
                ("alternatives", alternatives),
            ):
                unknown = [a for a in ids if a not in areas]
                if unknown:
                    raise ModelsFileError(
                        f"{', '.join(map(repr, unknown))} is not a focus area id.",
                        fix=f"use the ids in framework.yaml: {', '.join(sorted(areas))}.",
                        file=path,
                        where=f"{p_where}.{field_name}",
                    )
            both = set(alternatives) & set(part["reference"])
            if both:
                raise ModelsFileError(
                    f"{', '.join(sorted(both))} is both in the reference and an alternative.",
                    fix="list an area in the reference or among the alternatives, not both.",
                    file=path,
                    where=f"{p_where}.alternatives",
                )
            parts.append(
                Part(
                    id=part["id"],
                    text=part["text"],
                    reference=tuple(
                        a for a in framework_order(framework) if a in part["reference"]
                    ),
                    explanation=part["explanation"],
                    alternatives=alternatives,
                )
            )
        models.append(
            OrgModel(
                id=raw["id"],
                name=raw["name"],
                sources=tuple(raw["sources"]),
                summary=raw["summary"],
                parts=tuple(parts),
                teaching_summary=raw.get("teaching_summary", ""),
            )
        )
    return Models(interpretation_note=data["interpretation_note"], models=tuple(models))


def framework_order(framework: Framework) -> list[str]:
    """Area ids in framework order."""
    return [a.id for a in framework.areas]


def load_models(path: str | Path | None = None) -> Models:
    """Load and validate course/models.yaml (or ``path``).

    Raises:
        ModelsFileError: the file is missing, not YAML, or breaks the format.
    """
    resolved = Path(path) if path is not None else data_file(MODELS_FILE)
    return _load_cached(str(resolved.resolve()), _mtime(resolved))


@lru_cache(maxsize=4)
def _load_cached(path: str, mtime: float) -> Models:
    return parse_models(read_yaml(path, ModelsFileError), path)


# --------------------------------------------------------------------------- feedback
def clean_mapping(mapping: Any, models: Models, framework: Framework) -> Mapping:
    """Keep only known models, parts and areas (framework order); fill in the rest as empty."""
    order = framework_order(framework)
    raw = mapping if isinstance(mapping, dict) else {}
    out: Mapping = {}
    for model in models.models:
        parts = raw.get(model.id) if isinstance(raw.get(model.id), dict) else {}
        out[model.id] = {}
        for part in model.parts:
            chosen = parts.get(part.id, []) if isinstance(parts.get(part.id), list) else []
            out[model.id][part.id] = [a for a in order if a in chosen]
    return out


def part_feedback(
    model: OrgModel, part: Part, selected: list[str], framework: Framework
) -> PartFeedback:
    """Compare a learner's areas for one part with the course's reading, explaining each difference."""
    name = {a.id: a.name for a in framework.areas}
    chosen = set(selected)
    if not chosen:
        return PartFeedback(model, part, "not_mapped", ("Tick the focus areas this part serves.",))
    reference = set(part.reference)
    missing = [a for a in part.reference if a not in chosen]
    alternative = [a for a in framework_order(framework) if a in chosen and a in part.alternatives]
    other = [
        a
        for a in framework_order(framework)
        if a in chosen and a not in reference and a not in part.alternatives
    ]
    lines: list[str] = []
    ref_names = ", ".join(name[a] for a in part.reference)
    if not missing and not other and not alternative:
        status = "matches"
        lines.append(f"The course reads this part as {ref_names}. {part.explanation}")
    else:
        if missing:
            lines.append(
                f"The course also reads this part as {', '.join(name[a] for a in missing)}. "
                f"{part.explanation}"
            )
        elif chosen & reference:
            lines.append(f"You included the course's reading ({ref_names}).")
        for area in alternative:
            lines.append(f"You also chose {name[area]}. {part.alternatives[area]}")
        for area in other:
            lines.append(
                f"You chose {name[area]}. The course does not read this part as mainly about "
                f"{name[area]}. Look again at what the part does; if you still read it that way, "
                "note your reasons in the reflection below."
            )
        if other:
            status = "differs"
        elif missing and not (chosen & reference):
            status = "reasonable" if alternative else "differs"
        elif missing:
            status = "partly"
        else:
            status = "reasonable"
    return PartFeedback(model, part, status, tuple(lines))


def mapping_feedback(mapping: Mapping, models: Models, framework: Framework) -> list[PartFeedback]:
    """Feedback for every part of every model."""
    clean = clean_mapping(mapping, models, framework)
    return [
        part_feedback(model, part, clean[model.id][part.id], framework)
        for model in models.models
        for part in model.parts
    ]


def feedback_html(feedback: list[PartFeedback]) -> str:
    """The feedback as HTML: one entry per part, its status in words, then the reasons."""
    matched = sum(f.status in ("matches", "reasonable") for f in feedback)
    head = notice_html(
        "info",
        f"{matched} of {len(feedback)} parts match the course's reading or a reasonable "
        "alternative. The course's reading is an interpretation, not the organizations' own "
        "classification.",
    )
    blocks = []
    for model_id in dict.fromkeys(f.model.id for f in feedback):
        items = [f for f in feedback if f.model.id == model_id]
        rows = "".join(
            f"<li><strong>{html.escape(f.part.text)}</strong>: "
            f"<em>{_STATUS_TEXT[f.status]}</em> "
            + " ".join(html.escape(line) for line in f.lines)
            + "</li>"
            for f in items
        )
        blocks.append(f"<p><strong>{html.escape(items[0].model.name)}</strong></p><ul>{rows}</ul>")
    return head + "".join(blocks)


# --------------------------------------------------------------------------- coverage
def coverage_table(mapping: Mapping, models: Models, framework: Framework) -> pd.DataFrame:
    """Which areas each model covers under ``mapping``.

    Returns a frame indexed by ``area_id`` (framework order) with columns
    ``area``, one boolean column per model name, ``models`` (how many models
    cover the area) and ``covered_by`` (their names, ``;``-separated, or
    "none").
    """
    clean = clean_mapping(mapping, models, framework)
    rows = []
    for area in framework.areas:
        row: dict[str, Any] = {"area_id": area.id, "area": area.name}
        names = []
        for model in models.models:
            covers = any(area.id in areas for areas in clean[model.id].values())
            row[model.name] = covers
            if covers:
                names.append(model.name)
        row["models"] = len(names)
        row["covered_by"] = "; ".join(names) if names else "none"
        rows.append(row)
    return pd.DataFrame(rows).set_index("area_id")


def coverage_text(table: pd.DataFrame, models: Models) -> str:
    """The coverage view in words: what each model covers, and which areas none covers."""
    sentences = []
    for model in models.models:
        covered = table.loc[table[model.name], "area"].tolist()
        sentences.append(
            f"{model.name} covers {', '.join(covered)}."
            if covered
            else f"{model.name}: nothing mapped yet."
        )
    none = table.loc[table["models"] == 0, "area"].tolist()
    sentences.append(
        f"No model covers: {', '.join(none)}."
        if none
        else "Every focus area is covered by at least one model."
    )
    return " ".join(sentences)


def coverage_chart(table: pd.DataFrame, models: Models, label: str) -> str:
    """A grid of focus areas (rows) by models (columns) as inline SVG: "covers" in words.

    Areas that no model covers are hatched and say so, so nothing depends on colour.
    """
    names = [m.name for m in models.models]
    cells = [[bool(row[name]) for name in names] for _id, row in table.iterrows()]
    return grid_svg(table["area"].tolist(), names, cells, label)


def coverage_html(table: pd.DataFrame, models: Models) -> str:
    """Chart (with alt text), table and sentence for the coverage view."""
    text = coverage_text(table, models)
    shown = pd.DataFrame({"Focus area": table["area"]})
    for model in models.models:
        shown[model.name] = ["covers" if v else "" for v in table[model.name]]
    shown["Covered by"] = table["covered_by"]
    return (
        "<p class='et-chart-title'><strong>Which focus areas each model covers (your mapping)"
        f'</strong></p><div class="et-chart-box">{coverage_chart(table, models, text)}</div>'
        f"<p>{html.escape(text)}</p>"
        + shown.to_html(index=False, escape=True, border=0, classes="et-table")
    )


# --------------------------------------------------------------------------- widget
class ModelMapping(widgets.VBox):
    """The mapping grid, a Check button with explained feedback, and the live coverage view."""

    def __init__(self, models: Models | None = None, framework: Framework | None = None) -> None:
        self.framework = framework or load_framework()
        self.models = models or load_models()
        self.store = AutosaveStore.in_work_dir(MODEL_MAPPING_FILE, STORE_KIND)
        self.checked = False
        self._restoring = False
        bib = load_bibliography()
        self.boxes: dict[tuple[str, str], dict[str, widgets.Checkbox]] = {}
        # One layout and one style shared by the 54 boxes: fewer widget models to sync.
        box_layout = widgets.Layout(width="auto", margin="0 1em 0 0")
        box_style = CheckboxStyle()
        sections: list[widgets.Widget] = [
            widgets.HTML(notice_html("info", self.models.interpretation_note))
        ]
        for model in self.models.models:
            cite = "; ".join(
                f"[{k}] {html.escape(bib[k].title)}" for k in model.sources if k in bib
            )
            teaching = (
                f"<p><em>Teaching summary:</em> {html.escape(model.teaching_summary)}</p>"
                if model.teaching_summary
                else ""
            )
            sections.append(
                widgets.HTML(
                    f"<h3>{html.escape(model.name)}</h3><p>{html.escape(model.summary)}</p>"
                    f"{teaching}<p><small>Source: {cite}</small></p>"
                )
            )
            for part in model.parts:
                row = {
                    area.id: widgets.Checkbox(
                        value=False,
                        description=area.name,
                        indent=False,
                        layout=box_layout,
                        style=box_style,
                    )
                    for area in self.framework.areas
                }
                for box in row.values():
                    box.observe(self._on_change, names="value")
                self.boxes[(model.id, part.id)] = row
                sections.append(
                    widgets.VBox(
                        [
                            widgets.HTML(f"<strong>{html.escape(part.text)}</strong> serves:"),
                            widgets.HBox(
                                list(row.values()), layout=widgets.Layout(flex_flow="row wrap")
                            ),
                        ],
                        layout=widgets.Layout(margin="0 0 0.6em 1em"),
                    )
                )
        self.check_button = widgets.Button(
            description="Check my mapping",
            tooltip="Compare my mapping with the course's reading, with reasons",
            icon="check",
        )
        self.check_button.on_click(self._on_check)
        self.feedback = widgets.HTML("")
        self.status = widgets.HTML("")
        self.saved = widgets.HTML("")
        self.coverage = widgets.HTML("").add_class("et-coverage")
        super().__init__(
            [
                *sections,
                self.check_button,
                self.feedback,
                widgets.HTML("<h3>Coverage: which areas each model covers</h3>"),
                self.coverage,
                self.saved,
                self.status,
            ]
        )
        self.add_class("et-model-mapping")
        self._restore()
        self._refresh_coverage()

    # -- state -------------------------------------------------------------------------
    @property
    def mapping(self) -> Mapping:
        """The learner's mapping: model id -> part id -> area ids (framework order)."""
        out: Mapping = {}
        for (model_id, part_id), row in self.boxes.items():
            out.setdefault(model_id, {})[part_id] = [a for a, box in row.items() if box.value]
        return out

    def set_part(self, model_id: str, part_id: str, area_ids: list[str]) -> None:
        """Tick exactly ``area_ids`` for one part (as a learner would), then update once."""
        self._restoring = True
        try:
            for area_id, box in self.boxes[(model_id, part_id)].items():
                box.value = area_id in area_ids
        finally:
            self._restoring = False
        self._on_change({})

    def coverage_frame(self) -> pd.DataFrame:
        """The coverage table of the current mapping."""
        return coverage_table(self.mapping, self.models, self.framework)

    # -- events ------------------------------------------------------------------------
    def _on_change(self, _change: dict[str, Any]) -> None:
        if self._restoring:
            return
        if self.checked:
            self.checked = False
            self.feedback.value = notice_html(
                "info", "You changed your mapping: check it again to see updated feedback."
            )
        self._refresh_coverage()
        self._save()

    def _on_check(self, _button: widgets.Button | None = None) -> None:
        try:
            feedback = mapping_feedback(self.mapping, self.models, self.framework)
        except (CourseInputError, ValueError) as exc:
            self.feedback.value = notice_html("error", error_text(exc))
            return
        self.checked = True
        self.feedback.value = feedback_html(feedback)
        self._save()

    def _refresh_coverage(self) -> None:
        self.coverage.value = coverage_html(self.coverage_frame(), self.models)

    # -- saving ------------------------------------------------------------------------
    def _save(self) -> None:
        try:
            self.store.save({"mapping": self.mapping, "checked": self.checked})
        except OSError as exc:
            self.saved.value = save_failed_html(exc)
            return
        self.saved.value = saved_html()

    def _restore(self) -> None:
        state = self.store.load() or {}
        notes = list(self.store.messages)
        saved = clean_mapping(state.get("mapping"), self.models, self.framework)
        if any(areas for parts in saved.values() for areas in parts.values()):
            self._restoring = True
            try:
                for (model_id, part_id), row in self.boxes.items():
                    for area_id, box in row.items():
                        box.value = area_id in saved[model_id][part_id]
            finally:
                self._restoring = False
            notes.append("Your earlier mapping was restored.")
            if state.get("checked"):
                self._on_check()
        if notes:
            self.status.value = notice_html("info", " ".join(notes))


def model_mapping() -> widgets.Widget:
    """The model-mapping exercise, ready to display (a problem is shown as a message)."""
    return shown_or_explained(ModelMapping)
