"""The community-assessment exercise (module 03_context).

A notebook shows it with one line::

    assessment_exercise()

The learner walks through the focus areas one step at a time (a labelled
"Section" menu with Previous and Next buttons). For each indicator they give
a rating on the framework's scale (or leave it "Not rated yet"), the
evidence, the organizations involved (separated by ``;``) and notes; the two
supporting sections (Local context, Safeguards) have one text box per prompt.
As they answer, the exercise re-scores the assessment and shows a radar chart
with its text equivalent, the balance message and the ranked gaps.

Every change is saved at once to ``work_dir()/ASSESSMENT_FILE`` as a plain
assessment JSON (atomic, previous version kept as ``.bak``) and comes back
when the exercise is built again. A filled CSV or XLSX template can be
imported (by upload or by path; the current answers are backed up first), and
the assessment exports as CSV, XLSX and an HTML report. Problems are shown in
the exercise in plain words, never as a traceback.
"""

from __future__ import annotations

import asyncio
import html
from typing import Any

import ipywidgets as widgets
import pandas as pd

from endtrafficking import scoring
from endtrafficking.assessment import Assessment
from endtrafficking.errors import CourseInputError
from endtrafficking.framework import Framework, load_framework
from endtrafficking.inventory import saved_inventory
from endtrafficking.privacy import privacy_warnings
from endtrafficking.saved_assessment import (
    load_saved_assessment,
    save_learner_assessment,
)
from endtrafficking.widgets.assessment_cards import (
    LABEL_STYLE,
    NOT_RATED,
    Controls,
)
from endtrafficking.widgets.assessment_pages import SectionPages
from endtrafficking.widgets.assessment_results import (
    balance_html,
    chart_html,
    chart_words_html,
    gap_table_html,
)
from endtrafficking.widgets.assessment_transfer import EXPORT_LABELS, EXPORT_NAMES, ImportExport
from endtrafficking.widgets.messages import (
    notice_html,
    save_failed_html,
    saved_html,
    shown_or_explained,
)

#: Seconds after a section is shown before its neighbours are built in the background.
PREPARE_DELAY_S = 0.2
#: Kept importable from here: the learner journey's test reads these names.
__all__ = [
    "EXPORT_LABELS",
    "EXPORT_NAMES",
    "GAPS_SHOWN",
    "NOT_RATED",
    "AssessmentExercise",
    "Controls",
    "assessment_exercise",
]
#: How many of the ranked gaps the exercise shows.
GAPS_SHOWN = 8


class AssessmentExercise(SectionPages, ImportExport, widgets.VBox):
    """The community-assessment widget: rate, explain, see the gaps; saved as you go."""

    def __init__(self, framework: Framework | None = None) -> None:
        self.framework = framework or load_framework()
        restored = load_saved_assessment(framework=self.framework)
        self.assessment: Assessment = restored.assessment or Assessment.blank(
            framework=self.framework
        )
        self._loading = False
        self._last_scores: pd.DataFrame | None = None
        self._chart_rated = False
        self._gaps: pd.DataFrame = pd.DataFrame()
        self.save_count = 0

        self.status = widgets.HTML("")
        self.saved = widgets.HTML("")
        self.fictional_note = widgets.HTML("")
        self.community = widgets.Text(
            description="Community name",
            placeholder="for example: our county, city or neighbourhood",
            style=LABEL_STYLE,
            layout=widgets.Layout(width="60%"),
        )
        # Each section's controls are built when it is first shown (or first asked for):
        # building all eight sections at once costs about half a second in a kernel.
        self.ratings: Controls = Controls(self._build_page_of)
        self.evidence: Controls = Controls(self._build_page_of)
        self.organizations: Controls = Controls(self._build_page_of)
        self.notes: Controls = Controls(self._build_page_of)
        self.context: Controls = Controls(self._build_page_of)
        self.warnings: Controls = Controls(self._build_page_of)
        try:
            self.inventory = saved_inventory(self.framework)
        except (CourseInputError, ValueError, OSError):
            self.inventory = []
        self._build_navigation()

        # An inline SVG (role="img", labelled with the chart in words): built in pure
        # Python in well under a millisecond, crisp and readable at any size.
        self.chart = widgets.HTML("").add_class("et-chart")
        self.chart_svg = ""
        self.chart_text = widgets.HTML("")
        self.balance_note = widgets.HTML("")
        self.gaps_html = widgets.HTML("")

        super().__init__(self._layout())
        self.add_class("et-assessment")
        self._fill_controls()
        self._connect()
        self._show_page(0)
        self.refresh()
        notes = list(restored.messages)
        if restored.assessment is not None and not restored.from_backup:
            notes.append("Your saved answers were restored.")
        if notes:
            kind = "warn" if restored.from_backup or restored.assessment is None else "info"
            self.status.value = notice_html(kind, " ".join(notes))

    def _layout(self) -> list[widgets.Widget]:
        # The section menu and its Previous/Next pair span the whole exercise, above the
        # cards and the chart: beside the cards there is no room for all three in a row.
        buttons = widgets.HBox([self.previous_button, self.next_button])
        stepper = widgets.HBox([self.section, buttons.add_class("et-stepper-buttons")])
        stepper.add_class("et-stepper")
        cards = widgets.VBox([self.step_label, self.page]).add_class("et-assess-cards")
        # A sticky panel: beside the cards on a wide screen, above them on a narrow one
        # (CSS container queries in styles.py), so the chart stays in view while rating.
        results = widgets.VBox(
            [
                widgets.HTML(
                    "<h3>Your community at a glance</h3><p>Coverage by focus area (0-100): "
                    "the further out, the more is in place; unrated indicators count as 0.</p>"
                ),
                widgets.Box([self.chart, self.chart_text]).add_class("et-chart-pair"),
                self.balance_note,
            ]
        ).add_class("et-assess-results")
        workspace = widgets.Box(
            [stepper, widgets.Box([cards, results]).add_class("et-assess-grid")]
        ).add_class("et-assess-frame")
        gaps = widgets.VBox(
            [widgets.HTML("<h4>Ranked gaps (highest priority first)</h4>"), self.gaps_html]
        )
        import_box, export_box = self._transfer_boxes()
        return [
            self.status,
            self.saved,
            self.fictional_note,
            self.community,
            workspace,
            gaps,
            import_box,
            export_box,
        ]

    def _connect(self) -> None:
        self.community.observe(self._on_community, names="value")
        self.section.observe(lambda ch: self._show_page(ch["new"]), names="value")
        self.previous_button.on_click(lambda _b: self._step(-1))
        self.next_button.on_click(lambda _b: self._step(+1))

    def _fill_controls(self) -> None:
        """Show the model's answers in the controls (without saving again)."""
        self._loading = True
        try:
            a = self.assessment
            self.community.value = a.community
            for ind_id, control in self.ratings.items():  # sections built so far
                resp = a.responses[ind_id]
                control.value = NOT_RATED if resp.rating is None else resp.rating
                self.evidence[ind_id].value = resp.evidence
                self.organizations[ind_id].value = "; ".join(resp.organizations)
                self.notes[ind_id].value = resp.notes
                self._update_warnings(ind_id)
            for prompt_id, control in self.context.items():
                control.value = a.context.get(prompt_id, "")
                self._update_warnings(prompt_id)
        finally:
            self._loading = False
        self.fictional_note.value = (
            notice_html(
                "info",
                "Fictional example: this assessment describes a community made up for "
                "practice. Its organizations are invented too.",
            )
            if a.fictional
            else ""
        )

    # -- navigation --------------------------------------------------------------------
    def _show_page(self, index: int) -> None:
        # Built sections stay in the page, hidden: showing one again is a style change in
        # the browser, not a re-render of thirty widgets.
        box = self._placed(index)
        for other in self.page.children:
            if other is not box and other.layout.display != "none":
                other.layout.display = "none"
        box.layout.display = None
        title = self.section_titles[index]
        self.step_label.value = (
            f"<p><strong>Step {index + 1} of {len(self.section_titles)}: "
            f"{html.escape(title)}</strong></p>"
        )
        self.previous_button.disabled = index == 0
        self.next_button.disabled = index == len(self.section_titles) - 1
        self._prepare_neighbours(index)

    def shown_page(self) -> widgets.VBox:
        """The section box the learner sees now (the others are hidden)."""
        return next(b for b in self.page.children if b.layout.display != "none")

    def _placed(self, index: int) -> widgets.VBox:
        """Section ``index``, built and placed (hidden) in the page if it was not yet."""
        box = self.page_box(index)
        if box not in self.page.children:
            box.layout.display = "none"
            self.page.children = (*self.page.children, box)
        return box

    def _prepare_neighbours(self, index: int) -> None:
        """Build the sections next to ``index`` in the background, ready for Next/Previous.

        Scheduled on the kernel's event loop, so the learner's click is answered first;
        without a running loop (plain Python, tests) sections are built when visited.
        """
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            try:
                loop = asyncio.get_event_loop_policy().get_event_loop()
            except RuntimeError:
                return
            if not loop.is_running():
                return
        for neighbour in (index + 1, index - 1):
            if 0 <= neighbour < len(self._pages) and self._pages[neighbour] is None:
                loop.call_later(PREPARE_DELAY_S, self._placed, neighbour)

    def _step(self, delta: int) -> None:
        self.section.value = min(max(self.section.value + delta, 0), len(self.section_titles) - 1)

    # -- answering ---------------------------------------------------------------------
    def _on_rating(self, ind_id: str, value: int) -> None:
        if self._loading:
            return
        self.assessment.set_response(ind_id, rating=None if value == NOT_RATED else int(value))
        self._save()
        self.refresh()

    def _on_text(self, ind_id: str, field: str, value: str) -> None:
        if self._loading:
            return
        self.assessment.set_response(ind_id, **{field: value})
        self._update_warnings(ind_id)
        self._save()
        if field == "organizations":  # the suggested option of a gap depends on them
            self.refresh(redraw=False)

    def _on_context(self, prompt_id: str, value: str) -> None:
        if self._loading:
            return
        self.assessment.context[prompt_id] = value
        self._update_warnings(prompt_id)
        self._save()

    def _on_community(self, change: dict[str, Any]) -> None:
        if self._loading:
            return
        self.assessment.community = change["new"]
        self._save()

    def _update_warnings(self, item_id: str) -> None:
        if item_id in self.context:
            text = self.context[item_id].value
        else:
            text = " ".join(
                [
                    self.evidence[item_id].value,
                    self.organizations[item_id].value,
                    self.notes[item_id].value,
                ]
            )
        found = privacy_warnings(text)
        self.warnings[item_id].value = (
            notice_html("warn", "Privacy note: " + " ".join(found)) if found else ""
        )

    def _save(self) -> None:
        try:
            save_learner_assessment(self.assessment)
        except OSError as exc:
            self.saved.value = save_failed_html(exc)
            return
        self.save_count += 1
        self.saved.value = saved_html()

    # -- results -----------------------------------------------------------------------
    def refresh(self, redraw: bool = True) -> None:
        """Re-score the assessment and update the chart, its text, the balance and the gaps."""
        rated = self.assessment.rated_count
        scores = scoring.area_scores(self.assessment)
        last = self._last_scores
        changed = last is None or not last["coverage"].equals(scores["coverage"])
        if redraw and (changed or bool(rated) != self._chart_rated):
            # The chart shows coverage only: "not rated" -> 0 changes nothing on it.
            self.chart_svg = chart_html(scores, rated)
            self.chart.value = self.chart_svg
            self.chart_text.value = chart_words_html(scores, rated)
            self._chart_rated = bool(rated)
        if redraw:
            summary = scoring.readiness(self.assessment).summary if rated else ""
            self.balance_note.value = balance_html(summary, rated)
            self._last_scores = scores
        self._gaps = scoring.gaps(self.assessment, top=GAPS_SHOWN)
        self.gaps_html.value = gap_table_html(self._gaps, rated)

    def radar_data(self) -> dict[str, float]:
        """The coverage (0-100) of each focus area, by area id, as last plotted."""
        scores = self._last_scores if self._last_scores is not None else pd.DataFrame()
        return {str(k): float(v) for k, v in scores.get("coverage", pd.Series()).items()}

    def gap_table(self) -> pd.DataFrame:
        """The ranked gaps as last shown (at most :data:`GAPS_SHOWN` rows)."""
        return self._gaps.copy()


def assessment_exercise() -> widgets.Widget:
    """The community-assessment exercise, ready to display (the last line of a cell).

    If it cannot be built, a message says why, never a traceback.
    """
    return shown_or_explained(AssessmentExercise)
