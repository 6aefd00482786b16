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
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import pandas as pd

from endtrafficking import scoring
from endtrafficking.assessment import Assessment
from endtrafficking.errors import CourseInputError
from endtrafficking.framework import Area, Framework, Section, load_framework
from endtrafficking.inventory import saved_inventory
from endtrafficking.privacy import privacy_warnings
from endtrafficking.saved_assessment import (
    backup_before_import,
    load_saved_assessment,
    read_import_file,
    read_uploaded_assessment,
    resolve_import_path,
    save_learner_assessment,
)
from endtrafficking.storage import assessment_bytes
from endtrafficking.widgets.assessment_results import (
    balance_html,
    chart_html,
    chart_words_html,
    gap_table_html,
    scale_legend_html,
)
from endtrafficking.widgets.downloads import download_button
from endtrafficking.widgets.messages import (
    error_text,
    notice_html,
    save_failed_html,
    saved_html,
    shown_or_explained,
)

#: The value of the rating control that means "not rated yet".
NOT_RATED = -1
#: Seconds after a section is shown before its neighbours are built in the background.
PREPARE_DELAY_S = 0.2
#: How many of the ranked gaps the exercise shows.
GAPS_SHOWN = 8
#: Export file names, in the working folder.
EXPORT_LABELS = {
    "csv": "Download the assessment (CSV, for a spreadsheet)",
    "xlsx": "Download the assessment (XLSX, for Excel or LibreOffice)",
    "html": "Download the report (HTML, to read and print)",
}
EXPORT_NAMES = {
    "csv": "community_assessment.csv",
    "xlsx": "community_assessment.xlsx",
    "html": "community_assessment_report.html",
}
_LABEL = {"description_width": "initial"}
#: Layouts are given as dicts: a Layout built at import time would open a comm.
_WIDE = {"width": "95%"}
_AUTO = {"width": "auto"}


class Controls(dict):
    """Controls by indicator or prompt id; asking for one not built yet builds its section."""

    def __init__(self, build: Callable[[str], None]) -> None:
        super().__init__()
        self._build = build

    def __missing__(self, key: str) -> Any:
        self._build(key)
        if not dict.__contains__(self, key):
            raise KeyError(key)
        return dict.__getitem__(self, key)


class AssessmentExercise(widgets.VBox):
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
            style=_LABEL,
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
        self.section_titles = [a.name for a in self.framework.areas] + [
            f"{s.name} (not rated)" for s in self.framework.sections
        ]
        self._pages: list[widgets.VBox | None] = [None] * len(self.section_titles)
        self._page_index = {
            item_id: index
            for index, ids in enumerate(
                [[i.id for i in a.indicators] for a in self.framework.areas]
                + [[p.id for p in s.prompts] for s in self.framework.sections]
            )
            for item_id in ids
        }
        self.section = widgets.Dropdown(
            options=[(title, i) for i, title in enumerate(self.section_titles)],
            value=0,
            description="Section",
            style=_LABEL,
        )
        self.previous_button = widgets.Button(
            description="Previous section", icon="arrow-left", layout=_AUTO
        )
        self.next_button = widgets.Button(
            description="Next section", icon="arrow-right", layout=_AUTO
        )
        self.step_label = widgets.HTML("")
        self.page = widgets.VBox([])

        # An inline SVG (role="img", labelled with the chart in words): built in pure
        # Python in well under a millisecond, crisp and readable at any size.
        self.chart = widgets.HTML("").add_class("et-chart")
        self.chart_svg = ""
        self.chart_text = widgets.HTML("")
        self.balance_note = widgets.HTML("")
        self.gaps_html = widgets.HTML("")

        self.upload = widgets.FileUpload(
            accept=".csv,.xlsx",
            multiple=False,
            description="Upload a filled template",
            layout=_AUTO,
        )
        self.import_path = widgets.Text(
            description="Or type the file's path",
            placeholder="for example ../my_work/assessment_filled.xlsx",
            style=_LABEL,
            layout=widgets.Layout(width="60%"),
        )
        self.import_button = widgets.Button(
            description="Import from path", icon="upload", layout=_AUTO
        )
        self.import_status = widgets.HTML("")
        self.export_buttons = {
            kind: download_button(label, lambda k=kind: self.export_file(k))
            for kind, label in EXPORT_LABELS.items()
        }

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

    # -- building ----------------------------------------------------------------------
    def _rating_options(self) -> list[tuple[str, int]]:
        return [("Not rated yet", NOT_RATED)] + [
            (f"{lv.value} {lv.label}", lv.value) for lv in self.framework.scale
        ]

    def page_box(self, index: int) -> widgets.VBox:
        """The box of section ``index`` (built, filled and connected on first use)."""
        page = self._pages[index]
        if page is None:
            n_areas = len(self.framework.areas)
            if index < n_areas:
                page = self._area_page(self.framework.areas[index])
            else:
                page = self._section_page(self.framework.sections[index - n_areas])
            self._pages[index] = page
        return page

    def build_all_pages(self) -> None:
        """Build every section now (tests and benchmarks; learners build them by visiting)."""
        for index in range(len(self._pages)):
            self.page_box(index)

    def _build_page_of(self, item_id: str) -> None:
        if item_id in self._page_index:
            self.page_box(self._page_index[item_id])

    def _area_page(self, area: Area) -> widgets.VBox:
        tooltips = ["Not rated yet"] + [
            f"{lv.value} {lv.label}: {lv.description}" for lv in self.framework.scale
        ]
        serving = [e.organization for e in self.inventory if area.id in e.focus_areas]
        hint = (
            "<p><em>In your resource inventory (Step 2), serving this area:</em> "
            f"{html.escape('; '.join(serving))}</p>"
            if serving
            else ""
        )
        blocks: list[widgets.Widget] = [
            widgets.HTML(
                f"<h3>{html.escape(area.name)}</h3><p>{html.escape(area.summary)}</p>{hint}"
                + scale_legend_html(self.framework)
            )
        ]
        for ind in area.indicators:
            resp = self.assessment.responses[ind.id]
            rating = widgets.ToggleButtons(
                options=self._rating_options(),
                value=NOT_RATED if resp.rating is None else resp.rating,
                description=f"{ind.id} rating",
                tooltips=tooltips,
                style={**_LABEL, "button_width": "auto"},
            )
            evidence = widgets.Textarea(
                value=resp.evidence,
                description=f"{ind.id} evidence",
                placeholder="What do data and frontline experience tell you? Aggregate "
                "facts only; nothing about any individual.",
                style=_LABEL,
                layout=_WIDE,
            )
            orgs = widgets.Text(
                value="; ".join(resp.organizations),
                description=f"{ind.id} organizations involved (separate with ;)",
                placeholder="organization names only, for example: County Health "
                "Department; Youth Shelter",
                style=_LABEL,
                layout=_WIDE,
            )
            notes = widgets.Textarea(
                value=resp.notes,
                description=f"{ind.id} notes",
                style=_LABEL,
                layout=_WIDE,
                rows=2,
            )
            warn = widgets.HTML("")
            self.ratings[ind.id] = rating
            self.evidence[ind.id] = evidence
            self.organizations[ind.id] = orgs
            self.notes[ind.id] = notes
            self.warnings[ind.id] = warn
            self._update_warnings(ind.id)
            rating.observe(lambda ch, i=ind.id: self._on_rating(i, ch["new"]), names="value")
            for field, control in (
                ("evidence", evidence),
                ("organizations", orgs),
                ("notes", notes),
            ):
                control.observe(
                    lambda ch, i=ind.id, f=field: self._on_text(i, f, ch["new"]), names="value"
                )
            blocks.append(
                widgets.VBox(
                    [
                        widgets.HTML(
                            f"<p><strong>{html.escape(ind.id)}.</strong> "
                            f"{html.escape(ind.question)}</p>"
                        ),
                        rating,
                        evidence,
                        orgs,
                        notes,
                        warn,
                    ],
                ).add_class("et-card")
            )
        return widgets.VBox(blocks)

    def _section_page(self, section: Section) -> widgets.VBox:
        blocks: list[widgets.Widget] = [
            widgets.HTML(
                f"<h3>{html.escape(section.name)} (not rated)</h3>"
                f"<p>{html.escape(section.purpose)}</p>"
            )
        ]
        for prompt in section.prompts:
            box = widgets.Textarea(
                value=self.assessment.context.get(prompt.id, ""),
                description=f"{prompt.id}: {prompt.prompt}",
                style=_LABEL,
                layout=_WIDE,
                rows=3,
            )
            warn = widgets.HTML("")
            self.context[prompt.id] = box
            self.warnings[prompt.id] = warn
            self._update_warnings(prompt.id)
            box.observe(lambda ch, p=prompt.id: self._on_context(p, ch["new"]), names="value")
            blocks += [box, warn]
        return widgets.VBox(blocks)

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
        import_box = widgets.VBox(
            [
                widgets.HTML(
                    "<h4>Import a filled template</h4><p>Your current answers are saved in "
                    "your working folder before an import replaces them.</p>"
                ),
                self.upload,
                widgets.HBox([self.import_path, self.import_button]),
                self.import_status,
            ]
        )
        export_box = widgets.VBox(
            [
                widgets.HTML("<h4>Download to share with partners</h4>"),
                *self.export_buttons.values(),
            ]
        )
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
        self.upload.observe(self._on_upload, names="value")
        self.import_button.on_click(self._on_import_path)

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

    # -- import ------------------------------------------------------------------------
    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        upload = files[0]
        name = str(upload.get("name", "upload"))
        try:
            imported = read_uploaded_assessment(
                name, bytes(upload.get("content", b"")), self.framework
            )
        except (CourseInputError, ValueError, OSError) as exc:
            self.import_status.value = notice_html(
                "error", f"Problem: nothing was imported. {error_text(exc)}"
            )
            return
        self.replace_with(imported, name)

    def _on_import_path(self, _button: widgets.Button | None = None) -> None:
        try:
            path = resolve_import_path(self.import_path.value)
            imported = read_import_file(path, self.framework)
        except (CourseInputError, ValueError, OSError) as exc:
            self.import_status.value = notice_html(
                "error", f"Problem: nothing was imported. {error_text(exc)}"
            )
            return
        self.replace_with(imported, path.name)

    def replace_with(self, imported: Assessment, source: str) -> None:
        """Replace the answers with an imported assessment, after backing up the current ones."""
        current = self.assessment
        has_answers = current.community or any(not r.is_blank() for r in current.responses.values())
        backup_note = ""
        if has_answers or any(current.context.values()):
            try:
                backup = backup_before_import(current)
            except OSError as exc:
                self.import_status.value = notice_html(
                    "error",
                    f"Problem: your current answers could not be backed up "
                    f"({exc.strerror or exc}), so nothing was imported.",
                )
                return
            backup_note = f" Your previous answers were kept in {backup.name}."
        if not imported.community:
            imported.community = current.community
        self.assessment = imported
        self._fill_controls()
        self._save()
        self.refresh()
        self.import_status.value = notice_html(
            "ok",
            f"Imported {imported.rated_count} rated indicators from {source}.{backup_note}",
        )

    # -- export ------------------------------------------------------------------------
    def export_file(self, kind: str) -> tuple[str, bytes]:
        """The assessment as a ``csv``, ``xlsx`` or ``html`` (report) file: its name and bytes."""
        name = EXPORT_NAMES[kind]
        if kind == "html":
            # Imported on first export: jinja2 and the report cost ~0.1 s at start-up.
            from endtrafficking.report import render_report

            page = render_report(self.assessment, inventory=self.inventory or None)
            return name, page.encode("utf-8")
        return name, assessment_bytes(self.assessment, name)


def assessment_exercise() -> widgets.Widget:
    """The community-assessment exercise, ready to display (the last line of a cell).

    If it cannot be built, a message says why, never a traceback.
    """
    return shown_or_explained(AssessmentExercise)
