"""Links of a course page: relative between lessons, absolute only to switch views."""

from __future__ import annotations

from endtrafficking.course_meta import lesson
from endtrafficking.course_view.links import other_view_href, page_context, relative_href

VOILA = "voila/0.5.13"


def test_relative_links_between_lessons():
    """Do links between modules, and from a module to a role lesson, stay relative?"""
    assert relative_href(lesson("03_context"), lesson("04_engage")) == "04_engage.ipynb"
    assert (
        relative_href(lesson("04_engage"), lesson("00_index")) == "../engage_lessons/00_index.ipynb"
    )
    assert (
        relative_href(lesson("01_educators"), lesson("00_welcome"), "course-map")
        == "../modules/00_welcome.ipynb#course-map"
    )


def test_course_view_on_a_laptop():
    """In Voila at the server root, does the page link to JupyterLab at /lab/tree/...?"""
    env = {"SERVER_SOFTWARE": VOILA, "SCRIPT_NAME": "/voila/render/modules/03_context.ipynb"}
    ctx = page_context(lesson("03_context"), env)
    assert ctx.in_course_view and ctx.base_url == "/" and ctx.course_prefix == ""
    assert other_view_href(ctx, lesson("03_context")) == "/lab/tree/modules/03_context.ipynb"


def test_course_view_on_a_hub():
    """On a hub (base URL /user/ana/, course in a sub-folder), is the link right?"""
    env = {
        "SERVER_SOFTWARE": VOILA,
        "SCRIPT_NAME": "/user/ana/voila/render/endtrafficking/modules/03_context.ipynb",
    }
    ctx = page_context(lesson("03_context"), env)
    assert ctx.base_url == "/user/ana/" and ctx.course_prefix == "endtrafficking/"
    assert (
        other_view_href(ctx, lesson("03_context"))
        == "/user/ana/lab/tree/endtrafficking/modules/03_context.ipynb"
    )


def test_jupyterlab_links_to_the_course_page():
    """In JupyterLab on a hub, does the page link to its course-view page?"""
    env = {
        "JUPYTERHUB_SERVICE_PREFIX": "/user/ana/",
        "JPY_SESSION_NAME": "endtrafficking/modules/01_strategy.ipynb",
    }
    ctx = page_context(lesson("01_strategy"), env)
    assert not ctx.in_course_view
    assert (
        other_view_href(ctx, lesson("01_strategy"))
        == "/user/ana/voila/render/endtrafficking/modules/01_strategy.ipynb"
    )


def test_unknown_place_gives_no_switch_link():
    """Without the server's hints (or a different notebook), is there no view-switch link?"""
    assert other_view_href(page_context(lesson("01_strategy"), {}), lesson("01_strategy")) is None
    env = {"SERVER_SOFTWARE": VOILA, "SCRIPT_NAME": "/voila/render/other/notebook.ipynb"}
    assert other_view_href(page_context(lesson("01_strategy"), env), lesson("01_strategy")) is None
    env = {"SERVER_SOFTWARE": VOILA, "SCRIPT_NAME": "/somewhere/else"}
    assert page_context(lesson("01_strategy"), env).course_prefix is None


def test_names_with_spaces_are_quoted():
    """Is a course folder with a space in its name quoted in the link?"""
    env = {
        "SERVER_SOFTWARE": VOILA,
        "SCRIPT_NAME": "/voila/render/my%20course/modules/03_context.ipynb",
    }
    ctx = page_context(lesson("03_context"), env)
    assert ctx.course_prefix == "my course/"
    assert (
        other_view_href(ctx, lesson("03_context"))
        == "/lab/tree/my%20course/modules/03_context.ipynb"
    )
