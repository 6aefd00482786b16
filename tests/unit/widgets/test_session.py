"""The page's session watcher, without a browser: it answers the page's checks."""

from __future__ import annotations

from endtrafficking.widgets.session import LOST_AFTER_SECONDS, PING_SECONDS, session_watch


def test_ping_gets_a_pong(monkeypatch):
    """Does the kernel side answer each check from the page, and count it?"""
    watch = session_watch()
    sent: list[dict] = []
    monkeypatch.setattr(
        type(watch), "send", lambda self, content, buffers=None: sent.append(content)
    )
    watch._on_message(watch, {"event": "ping"}, [])
    watch._on_message(watch, {"event": "ping"}, [])
    assert sent == [{"event": "pong"}, {"event": "pong"}]
    assert watch.answered == 2


def test_other_messages_get_no_answer(monkeypatch):
    """Is anything but a check ignored?"""
    watch = session_watch()
    sent: list[dict] = []
    monkeypatch.setattr(
        type(watch), "send", lambda self, content, buffers=None: sent.append(content)
    )
    watch._on_message(watch, {"event": "other"}, [])
    watch._on_message(watch, "ping", [])
    assert sent == []


def test_the_page_gives_up_well_after_a_busy_kernel_would_answer():
    """Is the page's patience several check intervals, so a busy kernel is not called lost?"""
    watch = session_watch()
    assert watch.ping_every == PING_SECONDS
    assert watch.lost_after == LOST_AFTER_SECONDS >= 3 * PING_SECONDS
    assert "saved" in watch.lost_text
