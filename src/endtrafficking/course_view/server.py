"""The course view's Jupyter server extension: Voilà's settings and the notebook save hook.

Enabled by ``etc/jupyter/jupyter_server_config.d/endtrafficking.json`` (a wheel
installs it; ``make venv`` links it). It runs before Voilà's own extension
loads and fills in, for every setting a host has not set themselves:

- Voilà renders pages with the course's template (``endtrafficking``), in the
  light theme, never shows a traceback, and does not load JupyterLab-only
  extensions (nbgrader's panels) into a course page, and loads nothing from a CDN;
- notebooks of the course are saved without outputs (:mod:`.save_hook`);
- kernels that no page has been connected to for 15 minutes are shut down;
- the browser keeps the widget extensions' content-hashed scripts (:mod:`.static_cache`).
"""

from __future__ import annotations

import asyncio
from typing import Any

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import web

from endtrafficking.course_view.save_hook import strip_course_outputs
from endtrafficking.course_view.static_cache import apply_static_cache

#: A course page asks here for the cookie it needs to end its kernel when it is closed.
XSRF_PATH = "endtrafficking/xsrf"


class XsrfCookieHandler(JupyterHandler):
    """Give a signed-in page the server's ``_xsrf`` cookie (Voila's pages do not set it)."""

    @web.authenticated
    def get(self) -> None:
        """Set the cookie (tornado sets it when the token is first read); reply with nothing."""
        _ = self.xsrf_token
        self.set_header("Cache-Control", "no-store")
        self.set_status(204)
        self.finish()


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


#: Kernels of pages that were closed: Voilà's own shutdown request on leaving a page is
#: refused by the server in extension mode (voila-dashboards/voila#1458), and the page
#: script's own request may not arrive (a closed laptop). A kernel with no page connected
#: for this long is shut down; the learner's work is saved already.
KERNEL_CULLING = {"cull_idle_timeout": 900, "cull_interval": 60, "cull_connected": False}


def apply_kernel_culling(serverapp: Any) -> dict[str, Any]:
    """Shut down kernels no page is connected to (unless the host set culling themselves)."""
    configured = serverapp.config.get("MappingKernelManager", {})
    manager = serverapp.kernel_manager
    applied = {}
    for key, value in KERNEL_CULLING.items():
        if key not in configured and hasattr(manager, key):
            setattr(manager, key, value)
            applied[key] = value
    return applied


def _load_jupyter_server_extension(serverapp: Any) -> None:
    applied = apply_voila_settings(serverapp.config)
    apply_kernel_culling(serverapp)
    refill = getattr(serverapp.kernel_manager, "_refill", None)
    if refill is not None:  # a PooledKernelManager: warm a kernel for the first page
        asyncio.get_event_loop().call_soon(refill)
    base = serverapp.web_app.settings["base_url"]
    serverapp.web_app.add_handlers(".*$", [(url_path_join(base, XSRF_PATH), XsrfCookieHandler)])
    serverapp.web_app.settings.setdefault("mathjax_url", NO_MATHJAX)
    apply_static_cache(serverapp.web_app.settings)
    manager = serverapp.contents_manager
    if getattr(manager, "pre_save_hook", None) is None:
        manager.pre_save_hook = strip_course_outputs
    serverapp.log.info("endtrafficking course view: Voila settings %s", sorted(applied))
