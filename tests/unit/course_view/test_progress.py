"""Course progress, worked out from the learner's saved work (never from clicks)."""

from __future__ import annotations

import json

from endtrafficking.course_meta import lesson, load_course
from endtrafficking.course_view.progress import course_progress, lesson_progress, page_tasks

from ..learner_work import answer_everything, complete_exercises


def test_tasks_come_from_the_notebook():
    """Are a module's tasks the exercises its notebook opens, in page order, once each?"""
    tasks = page_tasks(lesson("03_context"))
    assert tasks[0] == ("assessment", "")
    assert ("reflection", "03_context") in tasks
    checks = [key for kind, key in tasks if kind == "knowledge_check"]
    assert checks and all(key.startswith("03_context.") for key in checks)
    assert len(tasks) == len(set(tasks))


def test_role_lesson_task_is_its_plan():
    """Is a role lesson's plan a task keyed by its role?"""
    assert ("role_plan", "educators") in page_tasks(lesson("01_educators"))


def test_nothing_saved_means_nothing_complete(work):
    """With an empty working folder, is every module not started, and the course incomplete?"""
    progress = course_progress(work)
    assert progress.required and not progress.complete
    assert not any(p.started for p in progress.required)
    task = progress.of("03_context").tasks[0]
    assert not task.done and task.missing == "not started yet"


def test_the_finish_page_is_not_required():
    """Are pages without tasks (the finish page) and optional extras left out of the count?"""
    progress = course_progress()
    ids = [p.lesson.id for p in progress.required]
    assert "06_finish" not in ids and ids[:5] == [
        "00_welcome",
        "01_strategy",
        "02_possibility",
        "03_context",
        "04_engage",
    ]
    assert all(not p.lesson.optional for p in progress.required)


def test_answers_complete_the_welcome_module(work):
    """Do the welcome module's saved answers (checks and reflection) complete it?"""
    answer_everything(work, ["00_welcome"])
    assert lesson_progress(lesson("00_welcome"), work).complete
    assert not lesson_progress(lesson("01_strategy"), work).started


def test_unchecked_answer_is_not_done(work):
    """Is a knowledge-check answer chosen but never checked still to do?"""
    answer_everything(work, ["00_welcome"])
    path = work / "knowledge_checks.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    first = next(iter(data["state"]["answers"]))
    data["state"]["answers"][first]["checked"] = False
    path.write_text(json.dumps(data), encoding="utf-8")
    item = lesson_progress(lesson("00_welcome"), work)
    assert not item.complete and item.done_count == len(item.tasks) - 1


def test_a_blank_reflection_is_not_done(work):
    """Is a reflection of one or two words not counted as written?"""
    answer_everything(work, ["00_welcome"])
    path = work / "reflections.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["state"]["answers"]["00_welcome"] = "ok "
    path.write_text(json.dumps(data), encoding="utf-8")
    assert not lesson_progress(lesson("00_welcome"), work).complete


def test_complete_work_completes_the_course(completed):
    """Does complete saved work for every module complete the course?"""
    progress = course_progress(completed)
    assert [p.lesson.id for p in progress.required if not p.complete] == []
    assert progress.complete


def test_exercise_rules_are_the_graded_checks(work):
    """Does an assessment with unrated indicators fail, saying what is missing in words?"""
    complete_exercises(work)
    answer_everything(work)
    data = json.loads((work / "assessment.json").read_text(encoding="utf-8"))
    first = next(iter(data["responses"]))
    data["responses"][first]["rating"] = None
    (work / "assessment.json").write_text(json.dumps(data), encoding="utf-8")
    progress = course_progress(work)
    task = next(t for t in progress.of("03_context").tasks if t.kind == "assessment")
    assert not task.done and "rat" in task.missing.lower()
    assert not progress.complete


def test_damaged_files_never_raise(work):
    """Does a damaged saved file count as not done, without an error?"""
    for name in ("knowledge_checks.json", "reflections.json", "assessment.json", "inventory.json"):
        (work / name).write_text("{not json", encoding="utf-8")
    progress = course_progress(work)
    assert not progress.complete


def test_every_listed_lesson_has_its_notebook():
    """Can progress find the notebook of every lesson in course.yaml (else it has no tasks)?"""
    exempt = ("Finish", "Checkpoints")  # pages that gather or hand in work
    missing = [
        les.id for les in load_course().lessons if les.step not in exempt and not page_tasks(les)
    ]
    assert missing == []
