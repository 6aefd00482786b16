"""The workshop JupyterHub: one concern per module.

- :mod:`.settings`: the host's ``workshop.yaml``, checked against ``data/workshop.schema.json``
- :mod:`.credentials`: sign-up codes and personal password hashes
- :mod:`.signin`: the authenticator (code on first use, then a personal password)
- :mod:`.accounts`: one system account per person, the instructors' group
- :mod:`.limits`: memory, CPU and process limits through cgroups
- :mod:`.spawner`: the spawner (accounts, limits, landing page by role)
- :mod:`.singleuser`: runs as each person: course copy, role config, the server
- :mod:`.gradebook`: the instructors' gradebook in PostgreSQL
- :mod:`.environment`: a Python every learner's account can run
- :mod:`.host`: host preparation, an explicit step
- :mod:`.hub_config`: the JupyterHub configuration from the settings
- :mod:`.launcher`: the command line (``python -m endtrafficking_hub``)
"""
