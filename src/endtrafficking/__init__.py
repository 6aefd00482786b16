"""Helpers for the course "Ending human trafficking in your community".

Import what you need from the submodules, for example::

    from endtrafficking.storage import load_assessment
    from endtrafficking.scoring import area_scores, gaps, readiness

Importing the package has no side effects.
"""

__version__ = "0.1.0"
