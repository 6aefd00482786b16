"""The course view's Jupyter server extension: Voilà's settings and the notebook save hook.

Enabled by ``etc/jupyter/jupyter_server_config.d/endtrafficking.json`` (a wheel
installs it; ``make venv`` links it). It runs before Voilà's own extension
loads and fills in, for every setting a host has not set themselves:

- Voilà renders pages with the course's template (``endtrafficking``), in the
  light theme, never shows a traceback, and does not load JupyterLab-only
  extensions (nbgrader's panels) into a course page, and loads nothing from a CDN;
- notebooks of the course are saved without outputs (:mod:`.save_hook`).
"""

from __future__ import annotations

from typing import Any

from endtrafficking.course_view.save_hook import strip_course_outputs

#: The course has no mathematics to typeset, and a closed network cannot reach Voilà's
#: default MathJax on a CDN: the page would wait for it. An empty script stands in.
NO_MATHJAX = "data:text/javascript,"

#: Voilà settings of the course view (a host's own settings win).
VOILA_SETTINGS: dict[str, Any] = {
    "template": "endtrafficking",
    "theme": "light",
    "show_tracebacks": False,
    "extension_denylist": ["@jupyter/nbgrader", "@jupyter-notebook/lab-extension"],
}


def apply_voila_settings(config: Any) -> dict[str, Any]:
    """Fill in the course view's Voilà settings that ``config`` does not already set."""
    section = config.VoilaConfiguration
    applied = {}
    for key, value in VOILA_SETTINGS.items():
        if key not in section:
            section[key] = value
            applied[key] = value
    return applied


def _load_jupyter_server_extension(serverapp: Any) -> None:
    applied = apply_voila_settings(serverapp.config)
    serverapp.web_app.settings.setdefault("mathjax_url", NO_MATHJAX)
    manager = serverapp.contents_manager
    if getattr(manager, "pre_save_hook", None) is None:
        manager.pre_save_hook = strip_course_outputs
    serverapp.log.info("endtrafficking course view: Voila settings %s", sorted(applied))
