"""What a learner does in JupyterLab, as Playwright steps: open, run, restart, find widgets.

Every step waits on something the page shows (the kernel status in the status
bar, the cells' prompts, a rendered widget), never on a fixed sleep. Menu
commands are clicked through the menu bar, the way a learner runs them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from browser_support import HasLog
from lab_server import LabServer
from playwright.sync_api import Locator, Page, expect

#: The notebook in the active tab (other tabs are hidden by Lumino).
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"
#: A rendered ipywidget (any widget view) inside the active notebook's outputs.
WIDGET_OUTPUT = f"{NOTEBOOK} .jp-OutputArea-output.lm-Panel:has(.jupyter-widgets)"
#: The active tab of the main work area (the side bars have tabs of their own).
CURRENT_TAB = "#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current"
CURRENT_TAB_LABEL = f"{CURRENT_TAB} .lm-TabBar-tabLabel"
KERNEL_IDLE = re.compile(r"\|\s*Idle\s*$")

#: Reads the active notebook's code-cell prompts and error outputs from the page.
_CELLS_STATE_JS = """
() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return null;
  const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
    .map(node => node.textContent.trim());
  const errors = [...panel.querySelectorAll(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"],'
      + ' .jp-OutputArea-output.jp-mod-error, .jp-RenderedText[data-mime-type='
      + '"application/vnd.jupyter.error"]')]
    .map(node => node.textContent.slice(0, 2000));
  const widgetErrors = [...panel.querySelectorAll('.jupyter-widgets-error-widget')]
    .map(node => node.textContent.replace(/\\s+/g, ' ').trim().slice(0, 1500));
  return {prompts, errors, widgetErrors};
}
"""

#: True once no cell is queued or running and every code cell ran, or a cell failed.
_RUN_FINISHED_JS = """
() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return false;
  const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
    .map(node => node.textContent.trim());
  if (prompts.some(p => p.includes('*'))) return false;
  const failed = panel.querySelector('.jp-RenderedText[data-mime-type="application/vnd.jupyter.error"]');
  return Boolean(failed) || prompts.every(p => /^\\[\\d+\\]:$/.test(p));
}
"""


#: True once every widget output of the active notebook shows a view (or ipywidgets' error box).
#: A widget output is a Lumino Panel (ipywidgets' renderer); text, HTML and images are not.
_WIDGETS_RENDERED_JS = """
() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) '
    + '.jp-OutputArea-output.lm-Panel')]
  .every(node => node.querySelector('.jupyter-widgets'))
"""


@dataclass
class CellsState:
    """The active notebook's code-cell prompts, error or stderr outputs, and broken widgets.

    A widget whose view fails in the browser shows ipywidgets' error box
    ("Failed to create view for ...") instead of the control: ``widget_errors``.
    """

    prompts: list[str]
    errors: list[str]
    widget_errors: list[str]

    @property
    def all_ran(self) -> bool:
        """Every code cell shows an execution count."""
        return bool(self.prompts) and all(re.fullmatch(r"\[\d+\]:", p) for p in self.prompts)

    def problems(self) -> str:
        """What went wrong, for an assertion message ('' when nothing did)."""
        parts = []
        if not self.all_ran:
            parts.append(f"not every cell ran: prompts {self.prompts}")
        parts += [f"error output: {text}" for text in self.errors]
        parts += [
            f"a widget failed to render in the browser: {text}" for text in self.widget_errors
        ]
        return "\n".join(parts)


@dataclass
class Lab:
    """JupyterLab in one browser page, served by ``server`` (a test server or a hub)."""

    page: Page
    server: LabServer | HasLog

    # -- opening ------------------------------------------------------------------------
    def open(self, path: str = "") -> None:
        """Go to JupyterLab (opening ``path`` if given) and wait until the page is ready."""
        self.page.goto(self.server.lab_url(path))
        self.page.locator("#jp-main-dock-panel").wait_for()
        self.page.locator("#jp-main-statusbar").wait_for()
        if path.endswith(".ipynb"):
            self.wait_notebook(path.rsplit("/", 1)[-1])

    def open_from_file_browser(self, path: str) -> None:
        """Open ``path`` by double-clicking through the file browser, as a learner does."""
        browser = self.page.locator("#filebrowser")
        if not browser.is_visible():
            self.page.locator('[data-id="filebrowser"]').click()
        browser.locator(".jp-BreadCrumbs-home").click()
        *folders, name = path.split("/")
        for part in [*folders, name]:
            item = browser.locator(".jp-DirListing-item").filter(
                has=self.page.get_by_text(part, exact=True)
            )
            item.dblclick()
            if part != name:
                expect(browser.locator(".jp-BreadCrumbs")).to_contain_text(part)
        if name.endswith(".ipynb"):
            self.wait_notebook(name)

    def wait_notebook(self, name: str, timeout: float = 60_000) -> None:
        """Wait until the notebook ``name`` is the active tab and its kernel is idle."""
        expect(self.page.locator(CURRENT_TAB_LABEL)).to_contain_text(
            name.removesuffix(".ipynb"), timeout=timeout
        )
        self.page.locator(f"{NOTEBOOK} .jp-Notebook").wait_for(timeout=timeout)
        self.wait_kernel_idle(timeout)

    # -- the kernel ---------------------------------------------------------------------
    def kernel_status(self) -> Locator:
        """The status bar item that reads "Python 3 (ipykernel) | Idle"."""
        return self.page.locator("#jp-main-statusbar").get_by_text(
            re.compile(r"\(ipykernel\)\s*\|")
        )

    def wait_kernel_idle(self, timeout: float = 60_000) -> None:
        """Wait until the active notebook's kernel reports Idle in the status bar."""
        expect(self.kernel_status()).to_have_text(KERNEL_IDLE, timeout=timeout)

    def menu(self, menu_label: str, command: str) -> None:
        """Click ``menu_label`` in the menu bar, then the item running ``command``."""
        self.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{menu_label}$")).click()
        self.page.locator(f'.lm-Menu-item[data-command="{command}"]').click()

    def accept_dialog(self, button_label: str) -> None:
        """Click the accept button of the open dialog, after checking it reads ``button_label``."""
        dialog = self.page.locator(".jp-Dialog")
        accept = dialog.locator(".jp-Dialog-button.jp-mod-accept")
        expect(accept).to_have_text(re.compile(rf"^\s*{re.escape(button_label)}\s*$"))
        accept.click()
        expect(dialog).to_have_count(0)

    def cells_state(self) -> CellsState:
        """The prompts, error outputs and broken widgets of the active notebook.

        ipywidgets hides a broken widget's JavaScript error behind a click; it is
        clicked open here so that the failure message says what went wrong.
        """
        for box in self.page.locator(f"{NOTEBOOK} .jupyter-widgets-error-widget").all():
            box.click()
        state = self.page.evaluate(_CELLS_STATE_JS) or {}
        return CellsState(
            state.get("prompts", []), state.get("errors", []), state.get("widgetErrors", [])
        )

    def run_all(self, timeout: float = 120_000) -> CellsState:
        """Clear every output, then Run > Run All Cells; wait until every cell ran."""
        self.wait_kernel_idle()
        self.menu("Edit", "editmenu:clear-all")
        self.page.wait_for_function(
            """() => [...document.querySelectorAll(
                 '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')]
               .every(node => !/\\d/.test(node.textContent))"""
        )
        self.menu("Run", "runmenu:run-all")
        # Finished for 1.5 s on end: JupyterLab draws only the cells near the view, so a
        # glance can catch a moment when the cells drawn are done and a later one is not.
        stable = (
            "() => { const done = (" + _RUN_FINISHED_JS.strip() + ")(); const now = Date.now();"
            " if (!done) { window.__etDoneSince = 0; return false; }"
            " window.__etDoneSince = window.__etDoneSince || now;"
            " return now - window.__etDoneSince > 1500; }"
        )
        self.page.evaluate("() => { window.__etDoneSince = 0; }")
        self.page.wait_for_function(stable, timeout=timeout, polling=250)
        self.wait_kernel_idle()
        self.page.wait_for_function(_WIDGETS_RENDERED_JS, polling=250)
        return self.cells_state()

    def restart_kernel(self) -> None:
        """Kernel > Restart Kernel…, confirm, and wait until the new kernel is idle."""
        self.menu("Kernel", "kernelmenu:restart")
        self.accept_dialog("Restart")
        self.wait_kernel_idle()

    def save(self) -> None:
        """File > Save (Ctrl+S) the active notebook."""
        self.page.keyboard.press("Control+s")
        expect(self.page.locator(CURRENT_TAB)).not_to_have_class(
            re.compile(r"jp-mod-dirty"), timeout=15_000
        )

    # -- outputs --------------------------------------------------------------------------
    def widget_output(self, css_class: str) -> Locator:
        """The rendered widget whose root carries ``css_class`` (for example et-assessment)."""
        return self.page.locator(f"{NOTEBOOK} .jp-OutputArea-output .{css_class}")

    def widget_outputs(self) -> Locator:
        """Every output area of the active notebook that holds a rendered widget."""
        return self.page.locator(WIDGET_OUTPUT)
