"""The checkpoints page against a real nbgrader exchange folder: list, fetch, hand in."""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path

import nbformat
import pytest

from endtrafficking.widgets.checkpoints import (
    NO_EXCHANGE,
    CheckpointList,
    Exchange,
    HandInHere,
    when,
)

COURSE = "endtrafficking"


@pytest.fixture
def hub(tmp_path: Path) -> tuple[Path, Path]:
    """A learner's root folder with nbgrader settings, and an exchange with one release."""
    root, exchange = tmp_path / "home", tmp_path / "exchange"
    root.mkdir()
    outbound = exchange / COURSE / "outbound" / "03_context"
    outbound.mkdir(parents=True)
    (exchange / COURSE / "inbound").mkdir()
    os.chmod(exchange / COURSE / "inbound", 0o733)
    nbformat.write(nbformat.v4.new_notebook(), outbound / "01_knowledge_check.ipynb")
    (root / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.course_id = {COURSE!r}\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
        f"c.Exchange.cache = {str(tmp_path / 'cache')!r}\n",
        encoding="utf-8",
    )
    return root, exchange


def test_released_checkpoint_can_be_fetched_and_handed_in(hub):
    """Can a learner get a released checkpoint, open its part, hand it in and see when?"""
    root, exchange = hub
    page = CheckpointList(Exchange(root), page_folder=root / "endtrafficking" / "modules")
    first = page.rows.children[0]
    assert "Checkpoint 03_context" in first.children[0].value
    assert {"et-checkpoint", "et-checkpoint-03_context"} <= set(first._dom_classes)
    first.children[1].click()  # Get this checkpoint
    fetched = root / "03_context" / "01_knowledge_check.ipynb"
    assert fetched.is_file()
    assert "is ready" in page.status.value
    row = page.rows.children[0]
    assert 'href="../../03_context/01_knowledge_check.ipynb"' in row.children[0].value
    assert "Not handed in yet" in row.children[0].value
    (fetched.parent / "checkpoint_answers.json").write_text(
        json.dumps({"q1": "a"}), encoding="utf-8"
    )
    row.children[1].click()  # Hand in this checkpoint
    assert "Handed in: checkpoint 03_context" in page.status.value
    inbound = list((exchange / COURSE / "inbound").iterdir())
    assert len(inbound) == 1 and inbound[0].name.startswith(f"{getpass.getuser()}+03_context+")
    assert (inbound[0] / "checkpoint_answers.json").is_file()
    assert "Handed in</strong> 1 time(s)" in page.rows.children[0].children[0].value


def test_no_exchange_is_said_in_plain_words(tmp_path):
    """Where no exchange is set up (a laptop), does the page say so instead of failing?"""
    (tmp_path / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.Exchange.root = {str(tmp_path / 'nowhere')!r}\n", encoding="utf-8"
    )
    page = CheckpointList(Exchange(tmp_path), page_folder=tmp_path)
    assert NO_EXCHANGE[:40] in page.rows.children[0].value
    assert "Traceback" not in page.rows.children[0].value


def test_timestamps_read_as_words():
    """Is nbgrader's timestamp shown as a date and time a person reads?"""
    assert when("2026-12-01 14:02:33.123456 UTC") == "1 December 2026, 14:02"
    assert when("not a time") == "not a time"


def test_hand_in_from_inside_the_checkpoint(hub):
    """Can a learner hand in from the end of a fetched checkpoint, and see it arrived?"""
    root, exchange = hub
    CheckpointList(Exchange(root), page_folder=root).rows.children[0].children[1].click()
    control = HandInHere(Exchange(root), folder=root / "03_context")
    assert not control.button.disabled and "Not handed in yet" in control.status.value
    control.button.click()
    assert "Handed in: your instructor has it now." in control.status.value
    assert "Handed in on" in control.status.value
    assert len(list((exchange / COURSE / "inbound").iterdir())) == 1


def test_hand_in_outside_a_checkpoint_says_why(hub):
    """Outside a fetched checkpoint, is the button off and the reason given?"""
    root, _exchange = hub
    control = HandInHere(Exchange(root), folder=root)
    assert control.button.disabled and "nowhere to hand them in" in control.status.value
