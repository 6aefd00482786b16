"""The top and end of each course page: header, watcher, the live footer, the map."""

from __future__ import annotations

from endtrafficking.widgets.course_page import (
    ProgressFooter,
    answers_folder_html,
    course_map,
    page_header_html,
)

from ..learner_work import answer_everything


def test_header_has_the_course_bar_and_the_lesson_box():
    """Does the header hold the course bar and the lesson's questions and objectives?"""
    text = page_header_html("02_possibility")
    assert 'class="et-course-nav"' in text and "Step 2 of 4: Possibility" in text
    assert "Questions this lesson answers" in text


def test_footer_follows_saved_work_when_refreshed(work):
    """Does the footer show new progress after the page asks it to refresh?"""
    footer = ProgressFooter("00_welcome")
    assert "To do:" in footer.html
    answer_everything(work, ["00_welcome"])
    footer._on_message(footer, {"event": "refresh"}, [])
    assert "You have done everything on this page." in footer.html
    assert "01_strategy.ipynb" in footer.html


def test_answers_folder_on_a_laptop_and_on_a_hub(work):
    """Does the note say where answers are kept, and who can see them, in both places?"""
    laptop = answers_folder_html({})
    assert str(work) in laptop and "Nobody else" in laptop
    hub = answers_folder_html({"JUPYTERHUB_USER": "ana"})
    assert "Other learners cannot open it" in hub and "instructors" in hub


def test_course_map_display():
    """Is the course map an HTML display with every module linked?"""
    assert "04_engage.ipynb" in course_map().data
