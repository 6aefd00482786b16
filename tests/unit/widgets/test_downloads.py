"""The one-click download button, without a browser: what it sends, and what it says."""

from __future__ import annotations

import pytest

from endtrafficking.errors import CourseInputError
from endtrafficking.widgets.downloads import DownloadButton, download_button, safe_file_name


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[dict, list]]:
    """Every message a DownloadButton sends to the browser."""
    messages: list[tuple[dict, list]] = []
    monkeypatch.setattr(
        DownloadButton,
        "send",
        lambda self, content, buffers=None: messages.append((content, buffers)),
    )
    return messages


def test_click_sends_the_file_bytes_with_name_and_type(sent):
    """Does a click (the browser's message) send the file's bytes, name and type?"""
    button = download_button("Download the report (HTML)", lambda: ("report.html", b"<p>hi</p>"))
    button._on_message(button, {"event": "download"}, [])
    content, buffers = sent[-1]
    assert content == {"event": "file", "filename": "report.html", "mime": "text/html"}
    assert buffers == [b"<p>hi</p>"]
    assert button.last_file == ("report.html", b"<p>hi</p>")
    assert button.status == ""


def test_a_problem_is_a_message_not_a_traceback(sent):
    """Does a file that cannot be made give a message beside the button, and send no file?"""

    def broken() -> tuple[str, bytes]:
        raise CourseInputError("the plan has no priorities yet.", fix="add one first.")

    button = download_button("Download", broken)
    assert button.deliver() is None
    assert button.status.startswith("Problem: the file could not be made.")
    assert "no priorities" in button.status
    assert sent == [({"event": "error"}, None)]


def test_other_messages_are_ignored(sent):
    """Is a message that is not a download request (or not a mapping) ignored?"""
    button = download_button("Download", lambda: ("a.csv", b"x"))
    button._on_message(button, {"event": "something"}, [])
    button._on_message(button, ["not", "a", "dict"], [])
    assert sent == []


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("assessment.xlsx", "assessment.xlsx"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\plan.csv", "plan.csv"),
        ("my plan: Riverside (fictional).md", "my plan_ Riverside (fictional).md"),
        ("...", "download"),
        ("", "download"),
    ],
)
def test_file_names_are_safe(given, expected):
    """Is a file name stripped of folders and odd characters, never left empty?"""
    assert safe_file_name(given) == expected


def test_unsafe_name_is_cleaned_before_sending(sent):
    """Does the browser get the cleaned name, whatever the maker returned?"""
    button = download_button("Download", lambda: ("../secret/../x.csv", b"1"))
    button.deliver()
    assert sent[-1][0]["filename"] == "x.csv"
    assert sent[-1][0]["mime"] == "text/csv"
