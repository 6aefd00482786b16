"""The sections of the community-assessment exercise, built on first view.

:class:`SectionPages` is mixed into :class:`~.assessment.AssessmentExercise`: one
page per focus area (an indicator card per indicator) and one per supporting
section (a text box per prompt), the "Section" menu and its Previous/Next buttons.
A page is built, filled and connected the first time it is shown or asked for.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from endtrafficking.framework import Area, Section
from endtrafficking.widgets.assessment_cards import (
    AUTO,
    LABEL_STYLE,
    area_intro,
    context_box,
    indicator_card,
)


class SectionPages:
    """Section pages of the assessment; the exercise supplies the answers and handlers."""

    def _build_navigation(self) -> None:
        """The sections (built later, on first view), the section menu and its buttons."""
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
            style=LABEL_STYLE,
        )
        self.previous_button = widgets.Button(
            description="Previous section", icon="arrow-left", layout=AUTO
        )
        self.next_button = widgets.Button(
            description="Next section", icon="arrow-right", layout=AUTO
        )
        self.step_label = widgets.HTML("")
        self.page = widgets.VBox([])

    # -- building ----------------------------------------------------------------------
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
        blocks: list[widgets.Widget] = [area_intro(area, self.framework, self.inventory)]
        for ind in area.indicators:
            card = indicator_card(ind, self.assessment.responses[ind.id], self.framework)
            self.ratings[ind.id] = card.rating
            self.evidence[ind.id] = card.evidence
            self.organizations[ind.id] = card.organizations
            self.notes[ind.id] = card.notes
            self.warnings[ind.id] = card.warning
            self._update_warnings(ind.id)
            card.rating.observe(lambda ch, i=ind.id: self._on_rating(i, ch["new"]), names="value")
            for field in ("evidence", "organizations", "notes"):
                getattr(card, field).observe(
                    lambda ch, i=ind.id, f=field: self._on_text(i, f, ch["new"]), names="value"
                )
            blocks.append(card.box)
        return widgets.VBox(blocks)

    def _section_page(self, section: Section) -> widgets.VBox:
        blocks: list[widgets.Widget] = [
            widgets.HTML(
                f"<h3>{html.escape(section.name)} (not rated)</h3>"
                f"<p>{html.escape(section.purpose)}</p>"
            )
        ]
        for prompt in section.prompts:
            box = context_box(prompt, self.assessment.context.get(prompt.id, ""))
            warn = widgets.HTML("")
            self.context[prompt.id] = box
            self.warnings[prompt.id] = warn
            self._update_warnings(prompt.id)
            box.observe(lambda ch, p=prompt.id: self._on_context(p, ch["new"]), names="value")
            blocks += [box, warn]
        return widgets.VBox(blocks)
