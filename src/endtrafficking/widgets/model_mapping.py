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
from typing import Any

import ipywidgets as widgets
import pandas as pd

from endtrafficking.course_meta import load_bibliography
from endtrafficking.errors import CourseInputError
from endtrafficking.framework import Framework, load_framework
from endtrafficking.org_models import (
    MODELS_FILE,
    SCHEMA_FILE,
    Mapping,
    Models,
    ModelsFileError,
    OrgModel,
    Part,
    clean_mapping,
    framework_order,
    load_models,
    parse_models,
)
from endtrafficking.widgets.area_boxes import area_checkboxes, shared_box_look
from endtrafficking.widgets.autosave import AutosaveStore
from endtrafficking.widgets.messages import (
    error_text,
    notice_html,
    save_failed_html,
    saved_html,
    shown_or_explained,
)
from endtrafficking.widgets.model_mapping_feedback import (
    PartFeedback,
    coverage_chart,
    coverage_html,
    coverage_table,
    coverage_text,
    feedback_html,
    mapping_feedback,
    part_feedback,
)
from endtrafficking.workspace import MODEL_MAPPING_FILE

#: Kept importable from here: notebooks, checkpoints and the grader import these names.
__all__ = [
    "MODELS_FILE",
    "SCHEMA_FILE",
    "STORE_KIND",
    "Mapping",
    "ModelMapping",
    "Models",
    "ModelsFileError",
    "OrgModel",
    "Part",
    "PartFeedback",
    "clean_mapping",
    "coverage_chart",
    "coverage_html",
    "coverage_table",
    "coverage_text",
    "feedback_html",
    "framework_order",
    "load_models",
    "mapping_feedback",
    "model_mapping",
    "parse_models",
    "part_feedback",
]

STORE_KIND = "model_mapping"


# --------------------------------------------------------------------------- widget
class ModelMapping(widgets.VBox):
    """The mapping grid, a Check button with explained feedback, and the live coverage view."""

    def __init__(self, models: Models | None = None, framework: Framework | None = None) -> None:
        self.framework = framework or load_framework()
        self.models = models or load_models()
        self.store = AutosaveStore.in_work_dir(MODEL_MAPPING_FILE, STORE_KIND)
        self.checked = False
        self._restoring = False
        self.boxes: dict[tuple[str, str], dict[str, widgets.Checkbox]] = {}
        sections = self._model_sections()
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

    def _model_sections(self) -> list[widgets.Widget]:
        """Each model's heading and source, then a row of focus-area boxes per part."""
        bib = load_bibliography()
        look = shared_box_look()  # one layout and one style for all 54 boxes
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
                row = area_checkboxes(self.framework, look)
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
        return sections

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
