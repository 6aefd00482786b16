"""Short messages that exercises show to the learner (never a traceback).

Each message starts with a word that says what it is ("Saved", "Problem",
"Note", "Correct"), so its meaning never depends on colour alone.
"""

from __future__ import annotations

import html

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
