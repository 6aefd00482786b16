"""Knowledge checks cannot be gamed: the right answer's place on screen is not predictable."""

from __future__ import annotations

from collections import Counter

from endtrafficking.widgets.knowledge_check import KnowledgeCheck, all_banks, display_order


def _checks():
    return [c for bank in all_banks().values() for c in bank.values()]


def test_right_answer_position_is_not_predictable_in_any_bank():
    """Over every bank, is no displayed position the right one for most single-answer checks,
    and do multiple-answer checks not always have their first two options right?"""
    single = [c for c in _checks() if c.kind == "single"]
    places = Counter(next(i for i, o in enumerate(display_order(c)) if o.correct) for c in single)
    assert len(single) >= 10 and len(places) >= 3, places
    assert max(places.values()) <= len(single) // 2, places
    assert places[0] < len(single) // 2, places
    multiple = [c for c in _checks() if c.kind == "multiple"]
    first_two = sum(
        all(o.correct for o in display_order(c)[:2]) for c in multiple if len(c.options) > 2
    )
    assert first_two < len(multiple), "every multiple-answer check starts with two right ones"


def test_order_is_stable_and_only_reorders():
    """Is the order the same on every visit, and does it keep every option?"""
    for check in _checks():
        order = display_order(check)
        assert order == display_order(check)
        assert sorted(o.id for o in order) == sorted(o.id for o in check.options)


def test_widget_shows_the_shuffled_order_and_saves_ids():
    """Does the widget show options in the display order and save option ids, not places?"""
    check = next(
        c for c in _checks() if c.kind == "single" and display_order(c)[0].correct is False
    )
    widget = KnowledgeCheck(check)
    assert widget.choice is not None
    assert [v for _t, v in widget.choice.options] == [o.id for o in display_order(check)]
    right = next(o.id for o in check.options if o.correct)
    widget.choice.value = right
    widget.check_button.click()
    assert widget.result is not None and widget.result.correct
    assert widget.selected == (right,)
