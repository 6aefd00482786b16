"""One-click downloads that work the same in the course view (Voilà) and in JupyterLab.

An export used to write a file into the learner's working folder and show
its path: useless in a page that shows no files, and on a hub the file sits on
a server the learner cannot open. A :class:`DownloadButton` instead asks the
kernel for the file's bytes when it is clicked and hands them to the browser
as a real download (a ``Blob`` and an ``<a download>``), through anywidget, so
no JupyterLab extension has to be built.

Usage, in an exercise::

    download_button("Download the report (HTML)", lambda: ("report.html", data()))

``make_file`` returns the file name and its bytes; if it raises a
:class:`~endtrafficking.errors.CourseInputError`, ``ValueError`` or ``OSError``
the learner sees the message beside the button, never a traceback.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Callable
from typing import Any

import anywidget
import traitlets

from endtrafficking.errors import CourseInputError
from endtrafficking.widgets.messages import error_text

#: What a file-making function returns: the file name and its content.
FileMaker = Callable[[], tuple[str, bytes]]

_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._ ()-]+")

_ESM = r"""
const ICON = '<svg aria-hidden="true" width="14" height="14" viewBox="0 0 16 16" ' +
  'style="vertical-align:-2px;margin-right:6px"><path fill="currentColor" ' +
  'd="M7 1h2v7.6l2.8-2.8 1.4 1.4L8 12.4 2.8 7.2l1.4-1.4L7 8.6zM2 13h12v2H2z"/></svg>';

function render({ model, el }) {
  el.classList.add("et-download", "jupyter-widgets");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "jupyter-button widget-button et-download-button";
  const text = document.createElement("span");
  button.innerHTML = ICON;
  button.appendChild(text);
  const status = document.createElement("span");
  status.className = "et-download-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");

  const show = () => {
    text.textContent = model.get("label");
    button.disabled = model.get("disabled");
    status.textContent = model.get("status");
  };
  model.on("change:label", show);
  model.on("change:disabled", show);
  model.on("change:status", show);

  button.addEventListener("click", () => {
    button.disabled = true;
    status.textContent = "Preparing the file\u2026";
    model.send({ event: "download" });
  });
  model.on("msg:custom", (msg, buffers) => {
    button.disabled = model.get("disabled");
    if (msg.event !== "file") {
      return;
    }
    const blob = new Blob(buffers, { type: msg.mime });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = msg.filename;
    link.style.display = "none";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    status.textContent = "Downloaded " + msg.filename + " (see your browser's downloads).";
  });
  show();
  el.append(button, status);
}
export default { render };
"""

_CSS = """
.et-download { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5em; margin: 2px 0; }
.et-download-button { width: auto; max-width: 100%; white-space: normal; height: auto;
  min-height: var(--jp-widgets-inline-height, 28px); padding: 2px 12px; text-align: left; }
.et-download-status { font-size: 0.92em; color: var(--jp-ui-font-color1, #333); }
"""


def safe_file_name(name: str, fallback: str = "download") -> str:
    """A file name a browser can save anywhere: no folders, no odd characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE_NAME.sub("_", base).strip(" .")
    return cleaned or fallback


class DownloadButton(anywidget.AnyWidget):
    """A button that sends a file made on click to the browser as a download."""

    _esm = _ESM
    _css = _CSS
    label = traitlets.Unicode("Download").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    #: A message about the last attempt (empty, or why the file could not be made).
    status = traitlets.Unicode("").tag(sync=True)

    def __init__(self, label: str, make_file: FileMaker, **kwargs: Any) -> None:
        super().__init__(label=label, **kwargs)
        self.make_file = make_file
        self.last_file: tuple[str, bytes] | None = None
        self.on_msg(self._on_message)

    def _on_message(self, _widget: Any, content: dict[str, Any], _buffers: list[Any]) -> None:
        if isinstance(content, dict) and content.get("event") == "download":
            self.deliver()

    def deliver(self) -> tuple[str, bytes] | None:
        """Make the file and send it to the browser; ``None`` (and a message) if it fails."""
        try:
            name, data = self.make_file()
        except (CourseInputError, ValueError, OSError) as exc:
            self.status = f"Problem: the file could not be made. {error_text(exc)}"
            self.send({"event": "error"})
            return None
        name = safe_file_name(name)
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        self.status = ""
        self.last_file = (name, bytes(data))
        self.send({"event": "file", "filename": name, "mime": mime}, [bytes(data)])
        return self.last_file


def download_button(label: str, make_file: FileMaker) -> DownloadButton:
    """A one-click download of the file ``make_file()`` returns (name, bytes)."""
    return DownloadButton(label, make_file)
