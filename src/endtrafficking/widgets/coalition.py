"""The coalition coordinator's exercise (module 05_coalition): many partners, one picture.

A notebook shows it with one line::

    coalition_exercise()

The coordinator uploads the filled templates that partner organizations sent
back. Each file is read and checked as anywhere in the course; then the set
is checked (one file per partner, one framework version, one community) and
every problem is listed with what to decide. Nothing is combined until the
coordinator has decided (left a file out, named the community, or accepted
another framework version) and clicks Combine. The combined picture shows the
agreement heatmap with its text equivalent and the discussion list; at the
consensus meeting the coordinator records the agreed rating of each
discussed indicator. The agreed assessment downloads as XLSX, CSV, JSON and
an HTML report, and can become the learner's own assessment (for the action
plan of Step 4). Everything is saved in the working folder as it changes.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from endtrafficking.coalition.combine import Combination
from endtrafficking.coalition.combined_file import combined_download
from endtrafficking.coalition.discussion import discussion_list
from endtrafficking.coalition.partners import (
    PartnerFile,
    check_partner_files,
    combine_partner_files,
    read_partner_upload,
)
from endtrafficking.errors import CourseInputError
from endtrafficking.framework import Framework, load_framework
from endtrafficking.saved_assessment import (
    backup_before_import,
    load_saved_assessment,
    save_learner_assessment,
)
from endtrafficking.scoring import readiness
from endtrafficking.storage import to_json
from endtrafficking.widgets.autosave import AutosaveStore
from endtrafficking.widgets.coalition_views import item_html, picture_html, problems_html
from endtrafficking.widgets.downloads import download_button
from endtrafficking.widgets.messages import error_text, notice_html, shown_or_explained

STATE_FILE = "coalition.json"
STATE_KIND = "coalition"
NOT_DECIDED = -1
_LABEL = {"description_width": "initial"}
_AUTO = {"width": "auto"}


class CoalitionExercise(widgets.VBox):
    """Upload partners' files, settle the problems, combine, agree, download."""

    def __init__(self, framework: Framework | None = None) -> None:
        self.framework = framework or load_framework()
        self.store = AutosaveStore.in_work_dir(STATE_FILE, STATE_KIND)
        self.files: list[PartnerFile] = []
        self.included: dict[str, bool] = {}
        self.agreed: dict[str, int] = {}
        self.combination: Combination | None = None
        self.status = widgets.HTML("")
        self.upload = widgets.FileUpload(
            accept=".csv,.xlsx,.json",
            multiple=True,
            description="Upload partners' files",
            layout=_AUTO,
        )
        self.example_button = widgets.Button(
            description="Practise with three fictional partners' files", icon="flask", layout=_AUTO
        )
        self.upload_status = widgets.HTML("")
        self.file_rows = widgets.VBox([])
        self.include: dict[str, widgets.Checkbox] = {}
        self.community = widgets.Text(
            description="Community of the combined assessment (only if the files spell it differently)",
            style=_LABEL,
            layout={"width": "95%"},
        )
        self.allow_versions = widgets.Checkbox(
            description="Combine files made from another framework version (I checked the questions are the same)",
            style=_LABEL,
            layout={"width": "95%"},
        )
        self.problems = widgets.HTML("")
        self.combine_button = widgets.Button(
            description="Combine the partners' files",
            icon="object-group",
            button_style="primary",
            layout=_AUTO,
        )
        self._build_results()
        super().__init__(self._layout())
        self.add_class("et-coalition")
        self.upload.observe(self._on_upload, names="value")
        self.example_button.on_click(lambda _b: self.add_examples())
        self.community.observe(lambda _c: self._changed(), names="value")
        self.allow_versions.observe(lambda _c: self._changed(), names="value")
        self.combine_button.on_click(lambda _b: self.combine())
        self.use_button.on_click(lambda _b: self.use_as_my_assessment())
        self._restore()

    def _build_results(self) -> None:
        """The results part: the picture, the discussion list, the agreed assessment, files."""
        self.picture = widgets.HTML("")
        self.discussion = widgets.VBox([])
        self.decisions: dict[str, widgets.Dropdown] = {}
        self.result = widgets.HTML("")
        self.use_button = widgets.Button(
            description="Make the agreed assessment my community assessment",
            icon="check",
            layout=_AUTO,
        )
        self.use_status = widgets.HTML("")
        self.downloads = widgets.VBox(
            [
                download_button(
                    "Download the combined assessment (XLSX)", lambda: self._file("xlsx")
                ),
                download_button("Download it as CSV", lambda: self._file("csv")),
                download_button("Download it as JSON", lambda: self._file("json")),
                download_button(
                    "Download the report for partners (HTML)", lambda: self._file("html")
                ),
            ]
        )
        self.results = widgets.VBox(
            [
                widgets.HTML("<h3>One picture</h3>"),
                self.picture,
                widgets.HTML(
                    "<h3>Discussion list for the consensus meeting</h3><p>Record the rating the "
                    "partners agree on for each indicator; the others keep the combined rating.</p>"
                ),
                self.discussion,
                widgets.HTML("<h3>The agreed assessment</h3>"),
                self.result,
                self.downloads,
                widgets.HBox([self.use_button]),
                self.use_status,
            ]
        )

    def _layout(self) -> list[widgets.Widget]:
        return [
            self.status,
            widgets.HTML(
                "<h3>Partners' files</h3><p>Upload the filled templates (CSV or XLSX) your "
                "partner organizations sent back; you can choose several at once.</p>"
            ),
            widgets.HBox([self.upload, self.example_button]),
            self.upload_status,
            self.file_rows,
            self.community,
            self.allow_versions,
            self.problems,
            widgets.HBox([self.combine_button]),
            self.results,
        ]

    # -- state -------------------------------------------------------------------------
    def _restore(self) -> None:
        state = self.store.load() or {}
        for item in state.get("files", []) if isinstance(state.get("files"), list) else []:
            try:
                file = read_partner_upload(
                    "partner.json", str(item["assessment"]).encode(), self.framework
                )
            except (CourseInputError, KeyError, TypeError, ValueError):
                continue
            file.assessment.file_framework_version = str(item.get("framework_version", ""))
            self._add(
                PartnerFile(str(item.get("name", "partner file")), file.assessment),
                bool(item.get("include", True)),
            )
        self.agreed = {
            k: int(v) for k, v in dict(state.get("agreed", {})).items() if isinstance(v, int)
        }
        self.community.value = str(state.get("community", ""))
        self.allow_versions.value = bool(state.get("allow_other_versions", False))
        if self.store.messages:
            self.status.value = notice_html("warn", " ".join(self.store.messages))
        self._changed(save=False)
        if state.get("combined") and self.combine_button.disabled is False:
            self.combine()

    def _save(self) -> None:
        state: dict[str, Any] = {
            "files": [
                {
                    "name": f.name,
                    "include": self.included.get(f.name, True),
                    "assessment": to_json(f.assessment),
                    "framework_version": f.assessment.file_framework_version,
                }
                for f in self.files
            ],
            "community": self.community.value,
            "allow_other_versions": self.allow_versions.value,
            "agreed": dict(self.agreed),
            "combined": self.combination is not None,
        }
        try:
            self.store.save(state)
        except OSError as exc:
            self.status.value = notice_html(
                "error", f"Problem: your work could not be saved ({exc.strerror or exc})."
            )

    # -- files -------------------------------------------------------------------------
    def _add(self, file: PartnerFile, include: bool = True) -> None:
        self.files = [f for f in self.files if f.name != file.name] + [file]
        self.included[file.name] = include
        box = widgets.Checkbox(
            value=include, description=f"Use {file.name}", style=_LABEL, layout=_AUTO
        )
        box.observe(lambda ch, n=file.name: self._set_included(n, ch["new"]), names="value")
        self.include[file.name] = box
        a = file.assessment
        details = widgets.HTML(
            f"<span>(partner: <strong>{html.escape(a.partner or 'not named')}</strong>; community: "
            f"{html.escape(a.community or 'not named')}; date: {html.escape(a.date or 'none')}; "
            f"{a.rated_count} of {len(self.framework.indicator_ids)} indicators rated)</span>"
        )
        rows = [r for r in self.file_rows.children if getattr(r, "file_name", None) != file.name]
        row = widgets.HBox([box, details])
        row.file_name = file.name
        self.file_rows.children = [*rows, row]

    def _set_included(self, name: str, value: bool) -> None:
        self.included[name] = value
        self._changed()

    def _on_upload(self, change: dict[str, Any]) -> None:
        uploads = change["new"] or ()
        if not uploads:
            return
        errors, added = [], []
        for upload in uploads:
            name = str(upload.get("name", "upload"))
            try:
                file = read_partner_upload(name, bytes(upload.get("content", b"")), self.framework)
            except (CourseInputError, ValueError, OSError) as exc:
                errors.append(error_text(exc))
                continue
            self._add(file)
            added.append(file.name)
        parts = []
        if added:
            parts.append(notice_html("ok", f"Read {len(added)} file(s): {', '.join(added)}."))
        for text in errors:
            parts.append(notice_html("error", f"Problem: this file was not added. {text}"))
        self.upload_status.value = "".join(parts)
        self.upload.value = ()  # the same file can be chosen again after a fix
        self._changed()

    def add_examples(self) -> None:
        """Add the three fictional example partners' files (for practice)."""
        from endtrafficking.coalition.example_partners import example_partner_assessments

        for assessment in example_partner_assessments():
            self._add(PartnerFile(f"example file of {assessment.partner}", assessment))
        self.upload_status.value = notice_html(
            "info",
            "Added three FICTIONAL partners' files about the invented Elderbrook County, to practise.",
        )
        self._changed()

    def _chosen(self) -> list[PartnerFile]:
        return [f for f in self.files if self.included.get(f.name, True)]

    def _changed(self, save: bool = True) -> None:
        """Files or decisions changed: check again; the picture waits for Combine."""
        chosen = self._chosen()
        problems = check_partner_files(
            chosen,
            self.framework,
            community=self.community.value.strip() or None,
            allow_other_versions=self.allow_versions.value,
        )
        shown = [p.render() for p in problems if p.kind != "none"]
        self.problems.value = problems_html(shown)
        self.combine_button.disabled = bool(problems)
        self.combination = None
        self.results.layout.display = "none"
        if save:
            self._save()

    # -- combining and agreeing ------------------------------------------------------------
    def combine(self) -> Combination | None:
        """Combine the chosen files and show the picture and the discussion list."""
        try:
            combination = combine_partner_files(
                self._chosen(),
                self.framework,
                community=self.community.value.strip() or None,
                allow_other_versions=self.allow_versions.value,
            )
        except CourseInputError as exc:
            self.problems.value = notice_html("error", error_text(exc))
            return None
        for ind_id, rating in self.agreed.items():
            if ind_id in self.framework.indicator_ids:
                combination.agree(ind_id, rating)
        self.combination = combination
        self.picture.value = picture_html(combination)
        self._build_discussion(combination)
        self.results.layout.display = None
        self._show_result()
        self._save()
        return combination

    def _build_discussion(self, combination: Combination) -> None:
        options = [("Not decided yet", NOT_DECIDED)] + [
            (f"{lv.value} {lv.label}", lv.value) for lv in self.framework.scale
        ]
        rows: list[widgets.Widget] = []
        self.decisions = {}
        items = discussion_list(combination)
        for order, item in enumerate(items, start=1):
            choice = widgets.Dropdown(
                options=options,
                value=NOT_DECIDED if item.agreed is None else item.agreed,
                description=f"Agreed rating for {item.indicator_id}",
                style=_LABEL,
            )
            choice.observe(lambda ch, i=item.indicator_id: self.record(i, ch["new"]), names="value")
            self.decisions[item.indicator_id] = choice
            rows.append(widgets.VBox([widgets.HTML(item_html(order, item)), choice]))
        if not items:
            rows.append(
                widgets.HTML(
                    notice_html(
                        "ok",
                        "Partners agree within one point on every indicator: nothing to settle.",
                    )
                )
            )
        self.discussion.children = rows

    def record(self, indicator_id: str, value: int) -> None:
        """Record (or clear, with ``NOT_DECIDED``) the agreed rating of one indicator."""
        rating = None if value == NOT_DECIDED else int(value)
        if rating is None:
            self.agreed.pop(indicator_id, None)
        else:
            self.agreed[indicator_id] = rating
        if self.combination is not None:
            self.combination.agree(indicator_id, rating)
            self._show_result()
        self._save()

    def _show_result(self) -> None:
        combination = self.combination
        if combination is None:
            return
        pending = [i for i in combination.disagreements() if i not in combination.agreed]
        summary = readiness(combination.to_assessment()).summary
        left = (
            f"{len(pending)} disagreement(s) not settled yet: {', '.join(pending)} (they keep the combined rating)."
            if pending
            else "Every disagreement is settled."
        )
        self.result.value = notice_html("info", f"{summary} {left}")

    # -- results -----------------------------------------------------------------------
    def _file(self, kind: str) -> tuple[str, bytes]:
        if self.combination is None:
            raise ValueError("combine the partners' files first.")
        return combined_download(self.combination, kind)

    def use_as_my_assessment(self) -> None:
        """Save the agreed assessment as the learner's own (the current one is backed up first)."""
        if self.combination is None:
            return
        try:
            current = load_saved_assessment(framework=self.framework).assessment
            note = ""
            if current is not None:
                note = (
                    f" Your previous assessment was kept in {backup_before_import(current).name}."
                )
            save_learner_assessment(self.combination.to_assessment())
        except OSError as exc:
            self.use_status.value = notice_html(
                "error", f"Problem: nothing was saved ({exc.strerror or exc})."
            )
            return
        self.use_status.value = notice_html(
            "ok",
            "Saved as your community assessment: Step 3 and the action plan of Step 4 now use it."
            + note,
        )


def coalition_exercise() -> widgets.Widget:
    """The coordinator's exercise, ready to display (a message if it cannot be built)."""
    return shown_or_explained(CoalitionExercise)
