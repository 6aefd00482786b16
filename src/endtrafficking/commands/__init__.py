"""The subcommands of the ``endtrafficking`` command, one module each.

See :mod:`endtrafficking.cli` for what a subcommand module provides and how
to register one.
"""
