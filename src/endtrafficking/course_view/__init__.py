"""The course view: the course's notebooks as pages, with navigation, progress and the finish.

Voilà, as a Jupyter server extension, renders each module at
``/voila/render/<path>`` on the same server as JupyterLab. This package holds
what makes those pages a course: the Voilà template and server settings
(``share/``), where a page's links point (:mod:`.links`), what the learner has
completed (:mod:`.progress`), the header and footer of each page
(:mod:`.navigation`), and the save hook that keeps outputs out of the course's
notebooks (:mod:`.save_hook`).
"""


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """The course view's server extension (see :mod:`endtrafficking.course_view.server`)."""
    return [{"module": "endtrafficking.course_view.server"}]
