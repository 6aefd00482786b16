"""Working through the course in JupyterLab never changes a file git tracks.

A fresh git clone of this repository is set up as ``make venv`` sets one up
(its nbstripout filter), served by a real JupyterLab (the course's server
extension saves course notebooks without outputs), and a scripted learner opens
every module, runs it, answers a knowledge check and saves the notebook. Then
``git status --porcelain`` must be empty: the answers live in ``my_work/``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from browser_support import new_page
from lab_server import start_lab
from lab_ui import Lab
from playwright.sync_api import Browser, expect

from endtrafficking.course_meta import load_course

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(900)]

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _git(clone: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(clone), *args], check=True, capture_output=True, text=True
    ).stdout


def test_working_through_the_course_in_jupyterlab_leaves_git_clean(
    browser: Browser, tmp_path: Path
) -> None:
    """After running and saving every module in JupyterLab, is `git status` empty?"""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(REPO_ROOT), str(clone)], check=True)
    subprocess.run(
        ["make", "--no-print-directory", "-C", str(clone), "git-filters", f"BIN={BIN}"], check=True
    )
    assert "nbstripout" in _git(clone, "config", "--get", "filter.nbstripout.clean")
    server = start_lab(clone, tmp_path / "lab-state")
    page = new_page(browser, [])
    try:
        lab = Lab(page, server)
        for module in load_course().modules:
            lab.open(module.path)
            state = lab.run_all()
            assert not state.problems(), (module.id, state.problems())
            checks = lab.widget_output("et-knowledge-check")
            if checks.count():
                first = checks.first
                first.scroll_into_view_if_needed()
                first.locator("input[type=radio], input[type=checkbox]").first.check()
                first.get_by_role("button", name="Check my answer").click()
                expect(first.locator(".et-notice").first).to_be_visible()
            lab.save()
        saved = (clone / "my_work" / "knowledge_checks.json").read_text(encoding="utf-8")
        assert '"checked": true' in saved
    finally:
        page.context.close()
        server.stop()
    status = _git(clone, "status", "--porcelain")
    assert status == "", status + _git(clone, "diff", "--no-textconv")[:3000]
    # The notebooks on disk carry no outputs either (the save hook, not only git's filter).
    for module in load_course().modules:
        text = (clone / module.path).read_text(encoding="utf-8")
        assert '"output_type"' not in text, module.path
