"""A tick box per focus area: how the inventory and the model mapping ask "which areas?"."""

from __future__ import annotations

import ipywidgets as widgets
from ipywidgets.widgets.widget_bool import CheckboxStyle

from endtrafficking.framework import Framework


def shared_box_look() -> tuple[widgets.Layout, CheckboxStyle]:
    """One layout and one style for many boxes: fewer widget models to sync."""
    return widgets.Layout(width="auto", margin="0 1em 0 0"), CheckboxStyle()


def area_checkboxes(
    framework: Framework, look: tuple[widgets.Layout, CheckboxStyle]
) -> dict[str, widgets.Checkbox]:
    """Unticked boxes labelled with the focus areas' names, by area id, in framework order."""
    layout, style = look
    return {
        area.id: widgets.Checkbox(
            value=False, description=area.name, indent=False, layout=layout, style=style
        )
        for area in framework.areas
    }
