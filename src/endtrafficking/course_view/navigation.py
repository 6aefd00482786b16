"""The course around each page: where the learner is, what is done, and where to go next.

- :func:`header_html`: at the top of every lesson, a bar with the way back to the
  course map, the lesson's place in the course, the learner's progress, and a
  link to the same lesson in the other view (JupyterLab or the course page);
- :func:`footer_html`: at the end, what this page still asks of the learner and
  the "Next" link (and, on a role lesson, the way back to the role lessons);
- :func:`course_map_html`: the whole course with links and progress, for the
  welcome page.

Everything is plain HTML built from ``course.yaml`` and the learner's saved
work; status is always said in words, never by colour alone.
"""

from __future__ import annotations

import html

from endtrafficking.course_meta import Lesson, load_course
from endtrafficking.course_view.links import PageContext, other_view_href, relative_href
from endtrafficking.course_view.progress import CourseProgress, LessonProgress

#: The anchor of the course map on the welcome page.
COURSE_MAP_ANCHOR = "course-map"
WELCOME_ID = "00_welcome"
ROLE_INDEX_ID = "00_index"
#: Modules that open and close the course rather than being one of its steps.
OUTSIDE_STEPS = ("Welcome", "Finish", "Checkpoints")

_STYLE = """
<style>
.et-course-nav { font-size: 15px; line-height: 1.5; border-bottom: 1px solid #d0d7de;
  padding: 4px 0 10px 0; margin-bottom: 12px; }
.et-course-nav-links { display: flex; flex-wrap: wrap; gap: 6px 18px; align-items: baseline; }
.et-course-nav-links .et-spacer { flex: 1 1 auto; }
.et-course-nav a, .et-course-footer a, .et-course-map a { color: #0b5cad; }
.et-progress-bar { display: inline-block; width: 160px; height: 10px; border: 1px solid #57606a;
  border-radius: 5px; vertical-align: middle; margin-right: 8px; background: #fff; overflow: hidden; }
.et-progress-bar span { display: block; height: 100%; background: #0072B2; }
.et-course-footer { border-top: 1px solid #d0d7de; margin-top: 24px; padding-top: 12px;
  font-size: 15px; line-height: 1.55; }
.et-next { display: inline-block; margin-top: 10px; padding: 8px 16px; border-radius: 4px;
  background: #0b5cad; color: #ffffff !important; text-decoration: none; font-weight: 600; }
.et-tasks { list-style: none; padding-left: 0; margin: 6px 0; }
.et-tasks li { margin: 2px 0; }
.et-course-map table { border-collapse: collapse; width: 100%; }
.et-course-map th, .et-course-map td { border: 0; border-bottom: 1px solid #d0d7de;
  padding: 6px 8px; text-align: left !important; vertical-align: top; }
</style>
"""


def _e(text: object) -> str:
    return html.escape(str(text))


def _find(lesson_id: str) -> Lesson | None:
    """A lesson of the course by id, or None (a host's course may leave a page out)."""
    return next((les for les in load_course().lessons if les.id == lesson_id), None)


def _href(here: Lesson, lesson_id: str, anchor: str = "") -> str | None:
    target = _find(lesson_id)
    return relative_href(here, target, anchor) if target else None


def _link(href: str | None, text: str, cls: str = "") -> str:
    if not href:
        return _e(text)
    klass = f' class="{cls}"' if cls else ""
    return f'<a href="{_e(href)}"{klass}>{_e(text)}</a>'


def status_words(item: LessonProgress) -> str:
    """A lesson's status in words: complete, in progress (n of m) or not started."""
    if not item.tasks:
        return "Your summary and certificate" if item.lesson.step == "Finish" else "No exercises"
    if item.complete:
        return "Complete"
    if item.started:
        return f"In progress ({item.done_count} of {len(item.tasks)} done)"
    return "Not started"


def _bar(done: int, total: int) -> str:
    share = 0 if total == 0 else round(100 * done / total)
    return (
        f'<span class="et-progress-bar" role="img" aria-label="{done} of {total}">'
        f'<span style="width:{share}%"></span></span>'
    )


def _place(lesson: Lesson) -> str:
    course = load_course()
    if lesson.kind == "modules":
        if lesson.optional:
            return "Extra module"
        steps = [m for m in course.modules if not m.optional and m.step not in OUTSIDE_STEPS]
        if lesson in steps:
            return f"Step {steps.index(lesson) + 1} of {len(steps)}: {lesson.step}"
        return lesson.step or "Module"
    if lesson.id == ROLE_INDEX_ID:
        return "Role lessons"
    return "Role lesson"


def header_html(lesson: Lesson, progress: CourseProgress, ctx: PageContext) -> str:
    """The bar at the top of a lesson: course map, place, progress, the other view."""
    required = progress.required
    done = sum(p.complete for p in required)
    links = [_link(_href(lesson, WELCOME_ID, COURSE_MAP_ANCHOR), "Course map")]
    if lesson.kind == "engage_lessons" and lesson.id != ROLE_INDEX_ID:
        links.append(_link(_href(lesson, ROLE_INDEX_ID), "All role lessons"))
    links.append(f"<span>{_e(_place(lesson))}</span>")
    links.append('<span class="et-spacer"></span>')
    other = other_view_href(ctx, lesson)
    if other:
        text = "Open this page in JupyterLab" if ctx.in_course_view else "Open as a course page"
        links.append(_link(other, text))
    return (
        f'{_STYLE}<nav class="et-course-nav" aria-label="Course">'
        f'<div class="et-course-nav-links">{"".join(links)}</div>'
        f"<div>{_bar(done, len(required))}Your progress: {done} of {len(required)} modules "
        f"complete</div></nav>"
    )


def task_list_html(item: LessonProgress) -> str:
    """This page's tasks with their status in words (knowledge checks counted together)."""
    if not item.tasks:
        return ""
    rows = []
    checks = [t for t in item.tasks if t.kind == "knowledge_check"]
    shown_checks = False
    for task in item.tasks:
        if task.kind == "knowledge_check":
            if shown_checks:
                continue
            shown_checks = True
            answered = sum(t.done for t in checks)
            mark = "Done" if answered == len(checks) else "To do"
            rows.append(
                f"<li><strong>{mark}:</strong> knowledge checks, {answered} of {len(checks)} "
                "answered</li>"
            )
            continue
        mark = "Done" if task.done else "To do"
        missing = "" if task.done else f": {_e(task.missing)}"
        rows.append(f"<li><strong>{mark}:</strong> {_e(task.label.lower())}{missing}</li>")
    return f'<ul class="et-tasks">{"".join(rows)}</ul>'


def todo_words(item: LessonProgress) -> str:
    """What is left on a lesson, in one line ("the reflection; 2 knowledge checks")."""
    left = [t for t in item.tasks if not t.done]
    checks = sum(t.kind == "knowledge_check" for t in left)
    parts = [f"the {t.label.lower()} ({t.missing})" for t in left if t.kind != "knowledge_check"]
    if checks:
        parts.append(f"{checks} knowledge check{'s' if checks > 1 else ''} to answer")
    return "; ".join(parts)


def _next_lessons(lesson: Lesson) -> tuple[Lesson | None, list[Lesson]]:
    """The next required lesson after ``lesson`` and the optional extras on the way."""
    course = load_course()
    if lesson.kind == "engage_lessons":
        return (None, [])
    modules = list(course.modules)
    after = modules[modules.index(lesson) + 1 :]
    extras = []
    for candidate in after:
        if candidate.optional:
            extras.append(candidate)
        else:
            return candidate, extras
    return None, extras


def footer_html(lesson: Lesson, progress: CourseProgress) -> str:
    """The end of a lesson: what is left on this page, and where to go next."""
    item = progress.of(lesson.id)
    parts = [_STYLE, '<nav class="et-course-footer" aria-label="Next steps">']
    if item.tasks:
        title = "You have done everything on this page." if item.complete else "On this page"
        parts.append(f"<p><strong>{_e(title)}</strong></p>{task_list_html(item)}")
        parts.append("<p>Your answers are saved as you go; you can come back at any time.</p>")
    following, extras = _next_lessons(lesson)
    if following is not None:
        parts.append(_link(relative_href(lesson, following), f"Next: {following.title}", "et-next"))
    lead = "Or first, if you like:" if following is not None else "Also in this course:"
    for extra in extras:
        parts.append(f"<p>{lead} {_link(relative_href(lesson, extra), extra.title)}</p>")
    if lesson.kind == "engage_lessons":
        if lesson.id != ROLE_INDEX_ID:
            parts.append(
                f"<p>{_link(_href(lesson, ROLE_INDEX_ID), 'Back to all role lessons')}</p>"
            )
        else:
            parts.append(role_lessons_html(lesson, progress))
    parts.append(f"<p>{_link(_href(lesson, WELCOME_ID, COURSE_MAP_ANCHOR), 'Course map')}</p>")
    parts.append("</nav>")
    return "".join(parts)


def role_lessons_html(here: Lesson, progress: CourseProgress) -> str:
    """Every role lesson, linked from ``here``, with its audience, minutes and status."""
    rows = [
        f"<li>{_link(relative_href(here, item.lesson), item.lesson.title)}: "
        f"{_e(item.lesson.total_minutes)} min; {_e(status_words(item))}</li>"
        for item in progress.engage_lessons
        if item.lesson.id != ROLE_INDEX_ID
    ]
    return f"<p><strong>The role lessons</strong></p><ul>{''.join(rows)}</ul>"


def course_map_html(here: Lesson, progress: CourseProgress) -> str:
    """The whole course: every module with its step, minutes, status and a link; then roles."""
    rows = []
    for item in progress.modules:
        les = item.lesson
        step = "Extra" if les.optional else (les.step or "")
        rows.append(
            f"<tr><td>{_link(relative_href(here, les), les.title)}</td><td>{_e(step)}</td>"
            f"<td>{les.teaching_minutes} + {les.exercise_minutes}</td>"
            f"<td>{_e(status_words(item))}</td></tr>"
        )
    roles = [p for p in progress.engage_lessons if p.lesson.id != ROLE_INDEX_ID]
    index = _find(ROLE_INDEX_ID)
    start = _link(relative_href(here, index), index.title) if index else "the role lessons"
    return (
        f'{_STYLE}<section class="et-course-map" id="{COURSE_MAP_ANCHOR}" aria-label="Course map">'
        f"<h3>The course map</h3>"
        '<table><thead><tr><th scope="col">Module</th><th scope="col">Step</th>'
        '<th scope="col">Minutes (teaching + exercises)</th><th scope="col">Your progress</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"<p>After the four steps, {len(roles)} short lessons for particular "
        f"roles (teachers, health care, faith communities and more) start from "
        f"{start}.</p></section>"
    )
