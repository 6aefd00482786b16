"""A page that has lost its kernel says so, and the learner cannot type into dead widgets.

When a kernel restarts, crashes, is culled on a hub, or the server stops,
every widget on the page keeps accepting input that goes nowhere. The
:class:`SessionWatch` is a tiny, invisible widget shown once per page (by
:func:`endtrafficking.course_meta.lesson_header`). Its browser half asks the
kernel "are you there?" every few seconds while the page is in view, and also
as soon as the widget library reports that the kernel went away. When no
answer comes back, it greys the page's widgets out, makes them inert (no
typing, no clicking), and shows a banner: everything entered before is saved,
and a button reloads the page, which restores the learner's saved work.

In the course view (Voilà) the whole page becomes inert and the banner offers
a reload. In JupyterLab the notebook stays open: the dead widgets are greyed
out and cannot be clicked, the banner says to run the notebook again, and the
first cell's new watcher clears the banner once it does. The check runs only
while the page is visible, so a forgotten background tab does not keep a
workshop hub's server busy.
"""

from __future__ import annotations

from typing import Any

import anywidget
import traitlets

from endtrafficking.widgets.styles import COURSE_CSS

#: Seconds between checks while the page is in view, and seconds without an answer
#: after which the kernel counts as gone (a busy kernel answers within a second or two).
PING_SECONDS = 5
LOST_AFTER_SECONDS = 15

LOST_TITLE = "This page has lost its connection to the course."
LOST_TEXT = (
    "Everything you entered before this message is saved. Reload the page to carry on: "
    "your answers come back."
)
#: In JupyterLab the notebook stays open: running it again brings the exercises back.
LOST_TEXT_LAB = (
    "Everything you entered before this message is saved. Run the notebook again "
    "(Run > Run All Cells) to carry on: your answers come back."
)

_ESM = r"""
function scopeOf(el) {
  return el.closest(".jp-NotebookPanel") || document.body;
}

function clearLost(el) {
  const scope = scopeOf(el);
  scope.classList.remove("et-session-lost");
  for (const banner of scope.querySelectorAll(".et-session-banner")) {
    banner.remove();
  }
  for (const area of scope.querySelectorAll("[data-et-inert]")) {
    area.removeAttribute("inert");
    area.removeAttribute("aria-hidden");
    area.removeAttribute("data-et-inert");
  }
}

function markLost(el, title, text, inLab) {
  const scope = scopeOf(el);
  if (scope.querySelector(".et-session-banner")) {
    return;
  }
  scope.classList.add("et-session-lost");
  const area = scope.querySelector(".jp-Notebook, #rendered_cells") || scope;
  const banner = document.createElement("div");
  banner.className = "et-session-banner";
  banner.setAttribute("role", "alert");
  const strong = document.createElement("strong");
  strong.textContent = title;
  const span = document.createElement("span");
  span.textContent = " " + text + " ";
  banner.append(strong, span);
  if (inLab) {
    // The learner runs the notebook again from JupyterLab's menus; the cells stay usable.
    area.parentNode.insertBefore(banner, area);
    return;
  }
  const button = document.createElement("button");
  button.type = "button";
  button.className = "et-session-reload";
  button.textContent = "Reload the page";
  button.addEventListener("click", () => window.location.reload());
  banner.append(button);
  if (area !== scope) {
    area.setAttribute("inert", "");
    area.setAttribute("aria-hidden", "true");
    area.setAttribute("data-et-inert", "1");
    area.parentNode.insertBefore(banner, area);
  } else {
    scope.prepend(banner);
  }
  button.focus();
}

function render({ model, el }) {
  el.classList.add("et-session-watch", "jupyter-widgets");
  // The view may not be on the page yet when it is rendered: where it sits (JupyterLab or
  // the course view) is looked up when it is needed.
  const inLab = () => Boolean(el.closest(".jp-NotebookPanel"));
  let answered = Date.now();
  let lost = false;
  const ping = () => {
    if (!lost && document.visibilityState === "visible") {
      try {
        model.send({ event: "ping" });
      } catch (error) {
        answered = 0;
      }
    }
  };
  const check = () => {
    if (lost || document.visibilityState !== "visible") {
      return;
    }
    if (Date.now() - answered > model.get("lost_after") * 1000) {
      lost = true;
      const lab = inLab();
      const text = lab ? model.get("lost_text_lab") : model.get("lost_text");
      markLost(el, model.get("lost_title"), text, lab);
    }
  };
  model.on("msg:custom", (msg) => {
    if (msg && msg.event === "pong") {
      answered = Date.now();
      // A live kernel answered: a banner an earlier watcher left (before a restart and a
      // new run of the notebook) no longer applies.
      if (!lost && el.isConnected) {
        clearLost(el);
      }
    }
  });
  // The widget library says the kernel went away (restart, crash): check at once.
  model.on("comm_live_update", () => {
    answered = Math.min(answered, Date.now() - (model.get("lost_after") - 3) * 1000);
    ping();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") {
      answered = Date.now();
      ping();
    }
  });
  const timer = setInterval(() => {
    check();
    ping();
  }, model.get("ping_every") * 1000);
  ping();
  return () => clearInterval(timer);
}
export default { render };
"""

_CSS = """
.et-session-watch, .et-session-watch.jupyter-widgets { display: none; }
.et-session-lost .jupyter-widgets, .et-session-lost .jupyter-widget { opacity: 0.5; }
.et-session-lost .jupyter-widgets:not(.et-session-watch) { pointer-events: none; }
.et-session-banner { position: sticky; top: 0; z-index: 1000; margin: 0 0 8px 0;
  padding: 10px 14px; background: #fff4e5; color: #1a1a1a; border: 2px solid #E69F00;
  border-radius: 4px; font-size: 15px; line-height: 1.5; }
.et-session-banner button { margin-left: 6px; padding: 4px 12px; font-size: 15px;
  cursor: pointer; }
"""


class SessionWatch(anywidget.AnyWidget):
    """Invisible watcher: answers the page's checks, so the page knows the kernel is alive."""

    _esm = _ESM
    _css = COURSE_CSS + _CSS
    ping_every = traitlets.Int(PING_SECONDS).tag(sync=True)
    lost_after = traitlets.Int(LOST_AFTER_SECONDS).tag(sync=True)
    lost_title = traitlets.Unicode(LOST_TITLE).tag(sync=True)
    lost_text = traitlets.Unicode(LOST_TEXT).tag(sync=True)
    lost_text_lab = traitlets.Unicode(LOST_TEXT_LAB).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.answered = 0
        self.on_msg(self._on_message)

    def _on_message(self, _widget: Any, content: dict[str, Any], _buffers: list[Any]) -> None:
        if isinstance(content, dict) and content.get("event") == "ping":
            self.answered += 1
            self.send({"event": "pong"})


def session_watch() -> SessionWatch:
    """The page's watcher (display it once per page)."""
    return SessionWatch()
