"""nbgrader settings for a learner's server: where the exchange is, which course.

The hub sets the environment variables (endtrafficking_hub.spawner, WorkshopSpawner.get_env).
"""

import os

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)
c.CourseDirectory.course_id = os.environ["WORKSHOP_COURSE_ID"]
c.Exchange.root = os.environ["WORKSHOP_EXCHANGE_ROOT"]
