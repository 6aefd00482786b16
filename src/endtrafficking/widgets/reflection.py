"""A reflection prompt with a text box that saves as the learner types.

``reflection("01_strategy")`` shows a labelled text box under the prompt that
the lesson's text asks (pass ``prompt`` to show the prompt in the widget too). The text is saved on every change to
``work_dir()/reflections.json`` (autosave kind ``reflections``; state
``{"answers": {<id>: text}}``) and comes back when the cell is run again.
Free text is checked with :func:`endtrafficking.privacy.privacy_warnings`.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from endtrafficking.privacy import privacy_warnings
from endtrafficking.widgets.autosave import AutosaveStore
from endtrafficking.widgets.messages import notice_html, save_failed_html, saved_html
from endtrafficking.workspace import REFLECTIONS_FILE

STORE_KIND = "reflections"


def reflections_store() -> AutosaveStore:
    """Where every reflection is saved."""
    return AutosaveStore.in_work_dir(REFLECTIONS_FILE, STORE_KIND)


def saved_reflections() -> dict[str, str]:
    """Every saved reflection, keyed by id."""
    state = reflections_store().load() or {}
    answers = state.get("answers", {})
    return {str(k): str(v) for k, v in answers.items()} if isinstance(answers, dict) else {}


class Reflection(widgets.VBox):
    """A prompt, a labelled text box, a privacy warning and a save status."""

    def __init__(self, reflection_id: str, prompt: str = "") -> None:
        self.reflection_id = reflection_id
        self.store = reflections_store()
        self.text = widgets.Textarea(
            value="",
            description="Your reflection",
            placeholder="Write a few sentences. Name roles and organizations, never individuals.",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="95%", height="8em"),
        )
        self.warning = widgets.HTML("")
        self.status = widgets.HTML("")
        self.saved = widgets.HTML("")
        state = self.store.load() or {}
        answers = state.get("answers") if isinstance(state.get("answers"), dict) else {}
        saved = answers.get(reflection_id)
        notes = list(self.store.messages)
        if isinstance(saved, str) and saved:
            self.text.value = saved
            notes.append("Your earlier reflection was restored.")
        self.text.observe(self._on_change, names="value")
        head = [widgets.HTML(f"<p><strong>Reflection.</strong> {html.escape(prompt)}</p>")]
        super().__init__(
            [*(head if prompt else []), self.text, self.warning, self.saved, self.status]
        )
        self.add_class("et-reflection")
        self._warn()
        if notes:
            self.status.value = notice_html("info", " ".join(notes))

    def _warn(self) -> None:
        found = privacy_warnings(self.text.value)
        self.warning.value = notice_html("warn", "Privacy: " + " ".join(found)) if found else ""

    def _on_change(self, _change: dict[str, Any]) -> None:
        self._warn()
        state = self.store.load() or {}
        answers = state.get("answers") if isinstance(state.get("answers"), dict) else {}
        answers[self.reflection_id] = self.text.value
        try:
            self.store.save({"answers": answers})
        except OSError as exc:
            self.saved.value = save_failed_html(exc)
            return
        self.saved.value = saved_html()


def reflection(reflection_id: str, prompt: str = "") -> Reflection:
    """A text box for a reflection, saved as the learner types (``prompt`` shown above it)."""
    return Reflection(reflection_id, prompt)
