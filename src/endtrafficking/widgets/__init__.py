"""ipywidgets exercises, one module per exercise.

Every exercise saves the learner's answers to a file in the working folder
(:mod:`endtrafficking.workspace`) through :mod:`endtrafficking.widgets.autosave`,
atomically and keeping the previous version, and restores them when built again.
"""
