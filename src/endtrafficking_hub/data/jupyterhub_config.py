"""The file JupyterHub loads (``jupyterhub -f``). The host edits hub/workshop.yaml, not this.

Loading it reads the settings named by ``$WORKSHOP_HUB_CONFIG`` and changes nothing on the
host; ``python -m endtrafficking_hub prepare`` is the step that does.
"""

from endtrafficking_hub.hub_config import configure

configure(get_config())  # noqa: F821  (provided by JupyterHub when it loads this file)
