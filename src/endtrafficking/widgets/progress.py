"""Then and now (module 03): the learner's assessment compared with an earlier version.

A notebook shows it with one line::

    then_and_now()

The course keeps a dated snapshot of the assessment each time the learner
changes it on a new day (:mod:`endtrafficking.saved_assessment`). When there
is an earlier one, this shows a radar chart of then and now on one chart
(with its text equivalent), the change in each focus area, the indicators that
improved or fell, and whether the weakest area changed. With no earlier
assessment it shows only a short note.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from endtrafficking.coalition.compare import Comparison, compare_assessments
from endtrafficking.errors import CourseInputError
from endtrafficking.framework import Framework, load_framework
from endtrafficking.saved_assessment import load_saved_assessment, load_snapshot, snapshots
from endtrafficking.widgets.messages import error_text, notice_html, shown_or_explained

NO_EARLIER = (
    "Note: there is no earlier assessment to compare with yet. When you come back on a later "
    "day and change your assessment, the course keeps the earlier version, and this shows "
    "what changed."
)


def comparison_html(comparison: Comparison) -> str:
    """The comparison as HTML: radar with alt text, its words, the table and the lists."""
    from endtrafficking.coalition.report_views import progress_view

    view = progress_view(comparison)
    rows = "".join(
        f"<tr><th scope='row'>{html.escape(a['area'])}</th><td>{a['then']}</td>"
        f"<td>{a['now']}</td><td>{a['change']}</td></tr>"
        for a in view["areas"]
    )

    def items(values: list[str]) -> str:
        if not values:
            return "<p><em>None.</em></p>"
        return "<ul>" + "".join(f"<li>{html.escape(v)}</li>" for v in values) + "</ul>"

    notes = "".join(notice_html("warn", "Note: " + n) for n in view["notes"])
    return (
        f"{notes}<p><strong>{html.escape(view['weakest'])}</strong> Readiness went from "
        f"{view['readiness']} out of 100.</p>"
        f'<img src="{view["radar_uri"]}" alt="{html.escape(view["radar_alt"], quote=True)}" '
        'style="max-width: 460px; width: 100%;">'
        f"<p>{html.escape(view['radar_alt'])}</p>"
        "<table class='et-table'><caption>Coverage of each focus area (0-100)</caption>"
        "<thead><tr><th scope='col'>Focus area</th><th scope='col'>Then</th>"
        f"<th scope='col'>Now</th><th scope='col'>Change</th></tr></thead><tbody>{rows}</tbody></table>"
        f"<h4>Improved</h4>{items(view['improved'])}<h4>Fell</h4>{items(view['fell'])}"
    )


class ThenAndNow(widgets.VBox):
    """The learner's saved assessment beside an earlier dated version of it."""

    def __init__(self, framework: Framework | None = None) -> None:
        self.framework = framework or load_framework()
        self.choice = widgets.Dropdown(
            description="Compare with", style={"description_width": "initial"}
        )
        self.update_button = widgets.Button(
            description="Update the comparison", icon="refresh", layout={"width": "auto"}
        )
        self.view = widgets.HTML("")
        self.controls = widgets.HBox([self.choice, self.update_button])
        self._updating = False
        super().__init__([self.controls, self.view])
        self.add_class("et-then-and-now")
        self.update_button.on_click(lambda _b: self.refresh())
        self.choice.observe(self._on_choice, names="value")
        self.refresh()

    def _on_choice(self, _change: dict) -> None:
        if not self._updating:
            self.refresh()

    def refresh(self) -> None:
        """Read the saved assessment and its snapshots again, and show the comparison."""
        current = load_saved_assessment(framework=self.framework).assessment
        earlier = [s for s in snapshots() if current is None or s.date < (current.date or "9999")]
        if current is None or not earlier:
            self.controls.layout.display = "none"
            self.view.value = notice_html("info", NO_EARLIER)
            return
        options = [(f"your assessment of {s.date}", s.date) for s in reversed(earlier)]
        if [o[1] for o in self.choice.options] != [o[1] for o in options]:
            self._updating = True
            try:
                self.choice.options = options
                self.choice.value = options[0][1]
            finally:
                self._updating = False
        self.controls.layout.display = None
        snapshot = next(s for s in earlier if s.date == self.choice.value)
        try:
            comparison = compare_assessments(load_snapshot(snapshot, self.framework), current)
        except (CourseInputError, ValueError, OSError) as exc:
            self.view.value = notice_html(
                "error", f"Problem: the earlier assessment could not be read. {error_text(exc)}"
            )
            return
        self.view.value = comparison_html(comparison)


def then_and_now() -> widgets.Widget:
    """The then-and-now view, ready to display (a note when there is nothing earlier)."""
    return shown_or_explained(ThenAndNow)
