"""The course's widget style sheet: long labels wrap, buttons show their whole label.

ipywidgets draws radio options, checkboxes, buttons and labels at a fixed
height and on one line, so a knowledge-check answer longer than the page
overlaps the next one and "Check my answer" is cut to "Check my ans...". The
rules below apply only inside the course's own widgets (roots whose class
starts with ``et-``), so JupyterLab's own interface is left alone. They reach
the page with the session watcher, which every course page shows once
(:mod:`endtrafficking.widgets.session`), in the course view and in JupyterLab.
"""

from __future__ import annotations

#: Inside any course widget.
SCOPE = ':is([class^="et-"], [class*=" et-"])'

COURSE_CSS = f"""
{SCOPE} .widget-radio-box label {{
  display: flex; gap: 0.5em; align-items: flex-start; height: auto;
  min-height: var(--jp-widgets-inline-height, 28px); line-height: 1.45; white-space: normal;
  margin: 2px 0 4px 0; padding: 2px 0;
}}
{SCOPE} .widget-radio-box input[type="radio"] {{ order: -1; flex: none; margin: 0.3em 0 0 0; }}
{SCOPE} .widget-radio-box {{ height: auto; }}
{SCOPE} .widget-checkbox {{ height: auto; min-height: var(--jp-widgets-inline-height, 28px); }}
{SCOPE} .widget-checkbox label {{ white-space: normal; line-height: 1.45; height: auto; }}
{SCOPE} .widget-checkbox input[type="checkbox"] {{ flex: none; }}
{SCOPE} .jupyter-button {{
  width: auto; max-width: 100%; height: auto; min-height: var(--jp-widgets-inline-height, 28px);
  white-space: normal; overflow: visible; text-overflow: clip; padding: 3px 12px;
  line-height: 1.35; align-self: flex-start;
}}
{SCOPE} .widget-label {{ white-space: normal; overflow: visible; text-overflow: clip; }}
{SCOPE} .widget-inline-hbox .widget-label {{ line-height: 1.35; height: auto; }}
{SCOPE} .widget-html, {SCOPE} .widget-htmlmath {{ max-width: 100%; }}
{SCOPE} .widget-html-content {{
  white-space: normal; overflow-wrap: anywhere; min-width: 0; max-width: 100%; flex: 1 1 auto;
}}
{SCOPE} .widget-dropdown select {{ text-overflow: ellipsis; }}
"""
