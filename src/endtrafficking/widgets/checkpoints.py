"""Graded checkpoints in the course view: get one, open it, hand it in, see that it arrived.

On a workshop hub an instructor releases checkpoints through nbgrader's
exchange. Learners used to need JupyterLab's "Assignments" panel to fetch and
submit them; this page does the same from the course view, through nbgrader's
own assignment manager (:class:`nbgrader.server_extensions.assignment_list.
handlers.AssignmentList`, the code behind that panel), so fetching and handing
in are exactly what nbgrader does. Where there is no exchange (a laptop), the
page says so in plain words.
"""

from __future__ import annotations

import contextlib
import html
import io
import logging
import os
import posixpath
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from endtrafficking.paths import checkout_root
from endtrafficking.widgets.messages import notice_html, shown_or_explained

NO_EXCHANGE = (
    "Graded checkpoints come from your instructor, on a workshop's server. None are "
    "available here, so there is nothing to fetch or hand in: the course's own exercises "
    "and your certificate of completion do not need them."
)


@dataclass(frozen=True)
class Checkpoint:
    """One released checkpoint, as the exchange lists it for this learner."""

    course_id: str
    assignment_id: str
    fetched: bool
    notebooks: tuple[str, ...]  # paths under the server's root folder, once fetched
    handed_in: tuple[str, ...]  # the timestamps of every hand-in, oldest first


def server_root(environ: dict[str, str] | None = None) -> Path:
    """The learner's server root: the home folder on a hub, else the course checkout."""
    env = os.environ if environ is None else environ
    if env.get("JUPYTERHUB_USER"):
        return Path.home()
    return checkout_root() or Path.cwd()


class Exchange:
    """nbgrader's assignment manager for this learner (list, fetch, hand in)."""

    def __init__(self, root: Path | None = None) -> None:
        from nbgrader.server_extensions.assignment_list.handlers import AssignmentList

        self.root = Path(root or server_root())
        self.manager = AssignmentList()
        self.manager.root_dir = str(self.root)
        self.last_log = ""

    def _call(self, name: str, *args: str) -> dict[str, Any]:
        # nbgrader logs warnings and tracebacks to stderr, which a page would show the
        # learner; they are kept here instead (``last_log``) and the page says what happened.
        buffer = io.StringIO()
        previous = logging.root.manager.disable
        logging.disable(logging.CRITICAL)
        try:
            with contextlib.chdir(self.root), contextlib.redirect_stderr(buffer):
                with contextlib.redirect_stdout(buffer):
                    result = getattr(self.manager, name)(*args)
        finally:
            logging.disable(previous)
        self.last_log = buffer.getvalue()
        return result if isinstance(result, dict) else {"success": False}

    def checkpoints(self) -> list[Checkpoint] | None:
        """Every released checkpoint and its state; None when there is no exchange."""
        released = self._call("list_released_assignments")
        if not released.get("success"):
            return None
        submitted = self._call("list_submitted_assignments")
        stamps: dict[tuple[str, str], list[str]] = {}
        for item in submitted.get("value", []) if submitted.get("success") else []:
            key = (item["course_id"], item["assignment_id"])
            stamps.setdefault(key, []).extend(s["timestamp"] for s in item.get("submissions", []))
        notebooks: dict[tuple[str, str], tuple[str, ...]] = {}
        for item in released["value"]:
            key = (item["course_id"], item["assignment_id"])
            notebooks.setdefault(key, ())
            if item["status"] == "fetched":
                notebooks[key] = tuple(sorted(nb["path"] for nb in item.get("notebooks", [])))
        return [
            Checkpoint(*key, bool(paths), paths, tuple(sorted(stamps.get(key, []))))
            for key, paths in sorted(notebooks.items())
        ]

    def fetch(self, checkpoint: Checkpoint) -> bool:
        """Fetch a released checkpoint into the learner's folder."""
        return bool(
            self._call("fetch_assignment", checkpoint.course_id, checkpoint.assignment_id).get(
                "success"
            )
        )

    def hand_in(self, checkpoint: Checkpoint) -> bool:
        """Hand in the learner's copy of a checkpoint (notebooks and saved answers)."""
        return bool(
            self._call("submit_assignment", checkpoint.course_id, checkpoint.assignment_id).get(
                "success"
            )
        )


def when(stamp: str) -> str:
    """An exchange timestamp in words ("1 December 2026, 14:02")."""
    for fmt in ("%Y-%m-%d %H:%M:%S.%f %Z", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S %Z"):
        with contextlib.suppress(ValueError):
            moment = datetime.strptime(stamp.strip(), fmt)
            return f"{moment.day} {moment:%B %Y}, {moment:%H:%M}"
    return stamp


class CheckpointList(widgets.VBox):
    """Every released checkpoint with a button to get it, links to open it, and Hand in."""

    def __init__(self, exchange: Exchange | None = None, page_folder: Path | None = None) -> None:
        super().__init__()
        self.add_class("et-checkpoints")
        self.exchange = exchange or Exchange()
        self.page_folder = Path(page_folder or Path.cwd())
        self.status = widgets.HTML("")
        self.rows = widgets.VBox([])
        self.children = [self.rows, self.status]
        self.refresh()

    def refresh(self, note: str = "") -> None:
        """List the checkpoints again (after a fetch or a hand-in)."""
        found = self.exchange.checkpoints()
        if found is None:
            self.rows.children = [widgets.HTML(notice_html("info", NO_EXCHANGE))]
        elif not found:
            self.rows.children = [
                widgets.HTML(
                    notice_html("info", "Your instructor has not released a checkpoint yet.")
                )
            ]
        else:
            self.rows.children = [self._row(c) for c in found]
        self.status.value = note

    def _href(self, notebook: str) -> str:
        target = self.exchange.root / notebook
        return posixpath.relpath(target.as_posix(), self.page_folder.as_posix())

    def _row(self, checkpoint: Checkpoint) -> widgets.Widget:
        row = self._row_parts(checkpoint)
        row.add_class("et-checkpoint")
        row.add_class(f"et-checkpoint-{checkpoint.assignment_id}")
        return row

    def _row_parts(self, checkpoint: Checkpoint) -> widgets.Box:
        title = f"<h3>Checkpoint {html.escape(checkpoint.assignment_id)}</h3>"
        if not checkpoint.fetched:
            get = widgets.Button(description="Get this checkpoint", button_style="primary")
            get.on_click(lambda _b, c=checkpoint: self._fetch(c))
            return widgets.VBox([widgets.HTML(title + "<p>Released by your instructor.</p>"), get])
        links = "".join(
            f'<li><a href="{html.escape(self._href(nb))}">{html.escape(Path(nb).stem.replace("_", " "))}</a></li>'
            for nb in checkpoint.notebooks
        )
        done = (
            f"<p><strong>Handed in</strong> {len(checkpoint.handed_in)} time(s); last on "
            f"{html.escape(when(checkpoint.handed_in[-1]))}. You can hand it in again: your "
            "instructor grades the last one.</p>"
            if checkpoint.handed_in
            else "<p>Not handed in yet. Your answers are saved as you work.</p>"
        )
        hand_in = widgets.Button(description="Hand in this checkpoint", button_style="primary")
        hand_in.on_click(lambda _b, c=checkpoint: self._hand_in(c))
        return widgets.VBox(
            [widgets.HTML(f"{title}<p>Open each part:</p><ul>{links}</ul>{done}"), hand_in]
        )

    def _fetch(self, checkpoint: Checkpoint) -> None:
        ok = self.exchange.fetch(checkpoint)
        self.refresh(
            notice_html(
                "ok", f"Checkpoint {checkpoint.assignment_id} is ready: open its parts above."
            )
            if ok
            else notice_html(
                "error",
                "Problem: the checkpoint could not be fetched. Try again, or ask your instructor.",
            )
        )

    def _hand_in(self, checkpoint: Checkpoint) -> None:
        ok = self.exchange.hand_in(checkpoint)
        self.refresh(
            notice_html(
                "ok", f"Handed in: checkpoint {checkpoint.assignment_id} reached your instructor."
            )
            if ok
            else notice_html(
                "error",
                "Problem: the checkpoint could not be handed in. Your answers are still saved; try again, or ask your instructor.",
            )
        )


def checkpoint_list() -> widgets.Widget:
    """The checkpoints page's widget (a message if nbgrader's exchange cannot be used)."""
    return shown_or_explained(CheckpointList, also=(ImportError, OSError))


class HandInHere(widgets.VBox):
    """At the end of a fetched checkpoint: hand this checkpoint in, and see that it arrived."""

    def __init__(self, exchange: Exchange | None = None, folder: Path | None = None) -> None:
        super().__init__()
        self.add_class("et-hand-in")
        self.exchange = exchange or Exchange()
        self.folder = Path(folder or Path.cwd()).resolve()
        self.button = widgets.Button(description="Hand in this checkpoint", button_style="primary")
        self.button.on_click(lambda _b: self.hand_in())
        self.status = widgets.HTML("")
        self.children = [self.button, self.status]
        self.show_state()

    def mine(self) -> Checkpoint | None:
        """This folder's checkpoint in the exchange's list (None outside a fetched one)."""
        for checkpoint in self.exchange.checkpoints() or []:
            paths = [self.exchange.root / nb for nb in checkpoint.notebooks]
            if any(p.resolve().parent == self.folder for p in paths):
                return checkpoint
        return None

    def show_state(self, note: str = "") -> None:
        """Say whether (and when) this checkpoint was handed in."""
        checkpoint = self.mine()
        if checkpoint is None:
            self.button.disabled = True
            self.status.value = notice_html(
                "info",
                "Hand-in works on the workshop's server, in a checkpoint you got from the "
                "checkpoints page. Here your answers are saved, but there is nowhere to hand them in.",
            )
            return
        self.button.disabled = False
        last = (
            f"Handed in on {when(checkpoint.handed_in[-1])}. You can hand it in again: your "
            "instructor grades the last one."
            if checkpoint.handed_in
            else "Not handed in yet. Your answers are saved as you work."
        )
        self.status.value = note + notice_html("info", last)

    def hand_in(self) -> bool:
        """Hand in this folder's checkpoint through nbgrader's exchange."""
        checkpoint = self.mine()
        ok = checkpoint is not None and self.exchange.hand_in(checkpoint)
        self.show_state(
            notice_html("ok", "Handed in: your instructor has it now.")
            if ok
            else notice_html(
                "error", "Problem: it was not handed in. Your answers are still saved; try again."
            )
        )
        return ok


def hand_in_here() -> widgets.Widget:
    """The hand-in control at the end of a checkpoint (a message if it cannot be used)."""
    return shown_or_explained(HandInHere, also=(ImportError, OSError))
