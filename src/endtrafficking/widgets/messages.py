"""Short messages that exercises show to the learner (never a traceback).

Each message starts with a word that says what it is ("Saved", "Problem",
"Note", "Correct"), so its meaning never depends on colour alone.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

import ipywidgets as widgets

from endtrafficking.errors import CourseInputError

W = TypeVar("W", bound=widgets.Widget)

#: Border colours from the Okabe-Ito colour-blind-safe palette; the word carries the meaning.
_BORDERS = {
    "ok": "#009E73",
    "info": "#0072B2",
    "warn": "#E69F00",
    "error": "#D55E00",
}


def notice_html(kind: str, text: str, *, raw: bool = False) -> str:
    """A boxed message; ``kind`` is ok, info, warn or error. ``raw`` keeps ``text`` as HTML."""
    body = text if raw else html.escape(text)
    border = _BORDERS.get(kind, _BORDERS["info"])
    return (
        f'<div class="et-notice et-{kind}" role="status" '
        f'style="border-left: 4px solid {border}; padding: 0.3em 0.6em; margin: 0.3em 0;">'
        f"{body}</div>"
    )


def error_text(exc: Exception) -> str:
    """The plain-words message of an error a person can fix."""
    return str(exc) or exc.__class__.__name__


def shown_or_explained(
    build: Callable[[], W], *, also: tuple[type[Exception], ...] = ()
) -> W | widgets.HTML:
    """``build()``, or a box saying in plain words why the exercise could not be built.

    Every one-line exercise factory goes through this, so a broken data file
    (a :class:`CourseInputError`, plus any error types in ``also``) reaches the
    learner as a message, never as a traceback.
    """
    try:
        return build()
    except (CourseInputError, *also) as exc:
        return widgets.HTML(notice_html("error", error_text(exc)))


def saved_html(when: datetime | None = None) -> str:
    """The quiet "Saved at HH:MM" state every exercise shows after a save."""
    stamp = (when or datetime.now()).strftime("%H:%M")
    return (
        f'<p class="et-saved" role="status"><span aria-hidden="true">✓</span> '
        f'Saved at <time class="et-saved-time">{stamp}</time></p>'
    )


def save_failed_html(exc: OSError | str) -> str:
    """A clear message that a save failed; what the learner typed stays on screen."""
    reason = exc if isinstance(exc, str) else (exc.strerror or str(exc) or "an error")
    return notice_html(
        "error",
        f"Not saved: your work could not be written to your working folder ({reason}). "
        "Everything you typed is still here. Check that the folder can be written to "
        "(or free some disk space); your next change saves it all again.",
    )
