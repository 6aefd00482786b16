"""The course bar, the end of each page, and the course map."""

from __future__ import annotations

import re

from endtrafficking.course_meta import lesson
from endtrafficking.course_view.links import PageContext
from endtrafficking.course_view.navigation import (
    course_map_html,
    footer_html,
    header_html,
    status_words,
    todo_words,
)
from endtrafficking.course_view.progress import course_progress

from ..learner_work import answer_everything

VOILA = PageContext(True, "/", "")
LAB_UNKNOWN = PageContext(False, "/", None)


def _links(text: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', text)


def test_header_says_where_the_learner_is(work):
    """Does the bar name the step, show progress in words and link the map and JupyterLab?"""
    text = header_html(lesson("03_context"), course_progress(work), VOILA)
    assert "Step 3 of 4: Context" in text
    assert "0 of 5 modules complete" in text
    assert "00_welcome.ipynb#course-map" in _links(text)
    assert "/lab/tree/modules/03_context.ipynb" in _links(text)


def test_header_counts_completed_modules(work):
    """After the welcome module is complete, does the bar say 1 of 5?"""
    answer_everything(work, ["00_welcome"])
    assert "1 of 5 modules complete" in header_html(
        lesson("02_possibility"), course_progress(work), VOILA
    )


def test_role_lesson_links_back_to_all_role_lessons(work):
    """Does a role lesson's bar link the role-lesson index, and its end link back too?"""
    progress = course_progress(work)
    assert "00_index.ipynb" in _links(header_html(lesson("05_law_enforcement"), progress, VOILA))
    footer = footer_html(lesson("05_law_enforcement"), progress)
    assert "Back to all role lessons" in footer and "00_index.ipynb" in _links(footer)


def test_no_switch_link_when_the_place_is_unknown(work):
    """Without the server's hints, does the bar leave out the view switch (no broken link)?"""
    text = header_html(lesson("01_strategy"), course_progress(work), LAB_UNKNOWN)
    assert "JupyterLab" not in text and "course page" not in text


def test_footer_links_the_next_module(work):
    """Does every step's end link the next step, and the last step the finish page?"""
    progress = course_progress(work)
    assert "02_possibility.ipynb" in _links(footer_html(lesson("01_strategy"), progress))
    end = footer_html(lesson("04_engage"), progress)
    assert "06_finish.ipynb" in _links(end) and "Next: Finish" in end


def test_footer_lists_what_is_left(work):
    """Does the end of a page say, in words, which of its tasks are still to do?"""
    answer_everything(work, ["01_strategy"])
    text = footer_html(lesson("01_strategy"), course_progress(work))
    assert "<strong>To do:</strong> model mapping exercise: not started yet" in text
    assert "knowledge checks, 4 of 4 answered" in text
    assert "<strong>Done:</strong> reflection" in text


def test_index_links_every_role_lesson(work):
    """Does the role-lesson index end with a link to each of the nine role lessons?"""
    text = footer_html(lesson("00_index"), course_progress(work))
    role_links = [h for h in _links(text) if re.fullmatch(r"0[1-9]_[a-z_]+\.ipynb", h)]
    assert len(role_links) == 9


def test_course_map_links_every_module_with_status(work):
    """Does the map list every module with a link and its status, and count 9 role lessons?"""
    answer_everything(work, ["00_welcome"])
    text = course_map_html(lesson("00_welcome"), course_progress(work))
    for module_id in (
        "00_welcome",
        "01_strategy",
        "02_possibility",
        "03_context",
        "04_engage",
        "06_finish",
    ):
        assert f"{module_id}.ipynb" in _links(text)
    assert "Complete" in text and "Not started" in text
    assert "9 short lessons" in text and "10 short lessons" not in text
    assert 'id="course-map"' in text


def test_status_and_todo_words(work):
    """Are status and what is left said in words (not colour), checks counted together?"""
    item = course_progress(work).of("02_possibility")
    assert status_words(item) == "Not started"
    words = todo_words(item)
    assert "resource inventory (not started yet)" in words
    assert re.search(r"\d knowledge checks to answer", words)
    assert status_words(course_progress(work).of("06_finish")) == "Your summary and certificate"


def test_text_is_escaped(work, monkeypatch):
    """Is a lesson title with markup shown as text?"""
    from endtrafficking.course_view import navigation

    item = course_progress(work).of("01_strategy")
    bad = type(item.lesson)(**{**item.lesson.__dict__, "title": "<script>x</script>"})
    monkeypatch.setattr(navigation, "_next_lessons", lambda _lesson: (bad, []))
    text = footer_html(lesson("00_welcome"), course_progress(work))
    assert "<script>x" not in text and "&lt;script&gt;" in text
