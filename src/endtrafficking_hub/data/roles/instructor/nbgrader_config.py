"""nbgrader settings for an instructor's server.

The course is the shared folder the hub prepared (root:<instructors group>, mode 2770),
reached as ``~/course`` because formgrader needs it inside the server's root folder. The
course's own ``nbgrader_config.py`` is loaded first; the locations below win.
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)
course = Path(os.environ["HOME"]) / "course"
if (course / "nbgrader_config.py").is_file():
    load_subconfig(str(course / "nbgrader_config.py"))  # noqa: F821
c.CourseDirectory.root = str(course)
c.CourseDirectory.course_id = os.environ["WORKSHOP_COURSE_ID"]
c.CourseDirectory.groupshared = True  # several instructors share one course and gradebook
c.Exchange.root = os.environ["WORKSHOP_EXCHANGE_ROOT"]
# With `gradebook: {backend: postgresql}` the hub writes the database URL into a file only
# instructors can read; several instructors then grade at once without "database is locked".
url_file = os.environ.get("WORKSHOP_GRADEBOOK_URL_FILE")
if url_file:
    c.CourseDirectory.db_url = Path(url_file).read_text(encoding="utf-8").strip()
