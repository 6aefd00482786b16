"""The finish page: the learner's work, its download, and the certificate when complete."""

from __future__ import annotations

import json

import pytest

from endtrafficking.widgets.downloads import DownloadButton
from endtrafficking.widgets.finish import CERTIFICATE_FILE, FinishPage

from ..learner_work import answer_everything, complete_exercises


@pytest.fixture(autouse=True)
def _quiet_send(monkeypatch):
    monkeypatch.setattr(DownloadButton, "send", lambda self, content, buffers=None: None)


def test_incomplete_course_lists_what_is_left_with_links(work):
    """Before the course is complete, is there no certificate, and a linked list of what is left?"""
    page = FinishPage()
    assert page.name not in page.children
    text = " ".join(getattr(c, "value", "") for c in page.children)
    assert 'href="03_context.ipynb"' in text and "knowledge checks to answer" in text
    name, data = page.summary_download.deliver()
    assert name == "my_course_summary.html" and data.startswith(b"<!DOCTYPE html>")


def test_complete_course_offers_the_certificate(work):
    """Once the work is complete, does typing a name give a PDF and a printable certificate?"""
    complete_exercises(work)
    answer_everything(work)
    page = FinishPage()
    assert page.name in page.children
    page.name.value = "Sam Rivera"
    assert json.loads((work / CERTIFICATE_FILE).read_text(encoding="utf-8"))["state"] == {
        "name": "Sam Rivera"
    }
    pdf_name, pdf = page.pdf_download.deliver()
    assert pdf_name == "certificate_of_completion.pdf" and pdf.startswith(b"%PDF")
    html_name, html = page.html_download.deliver()
    assert b"Sam Rivera" in html and html_name.endswith(".html")


def test_no_name_is_a_message(work):
    """Does asking for a certificate with no name give a message beside the button?"""
    complete_exercises(work)
    answer_everything(work)
    page = FinishPage()
    assert page.pdf_download.deliver() is None
    assert "needs a name" in page.pdf_download.status


def test_name_comes_back_on_return(work):
    """Is the saved name in the box when the learner comes back?"""
    complete_exercises(work)
    answer_everything(work)
    FinishPage().name.value = "Ana"
    assert FinishPage().name.value == "Ana"
