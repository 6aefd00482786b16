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

_BASE_CSS = f"""
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
.et-checkpoints .widget-html-content a {{
  color: var(--jp-content-link-color, #1a5fb4); text-decoration: underline;
}}
"""

#: Layout that holds from 1024 to 1920 px: rows wrap instead of scrolling sideways, inputs
#: keep a usable width, drop-downs and buttons show their whole label.
LAYOUT_CSS = f"""
{SCOPE}, {SCOPE} .widget-box {{ overflow: visible; }}
{SCOPE} .widget-hbox, {SCOPE} .widget-inline-hbox {{ flex-wrap: wrap; max-width: 100%; }}
{SCOPE} .widget-inline-hbox {{ height: auto; min-height: var(--jp-widgets-inline-height, 28px); }}
{SCOPE} .widget-hbox {{ gap: 0.25em 0.5em; align-items: center; }}
{SCOPE} .widget-inline-hbox > .widget-label {{ max-width: 100%; }}
{SCOPE} .widget-inline-hbox > :is(input.widget-input, textarea.widget-input) {{
  flex: 1 1 16em; min-width: min(16em, 100%);
}}
{SCOPE} .widget-dropdown {{ width: auto; max-width: 100%; flex-wrap: nowrap; }}
{SCOPE} .widget-dropdown > .widget-label {{ flex: 0 1 auto; }}
{SCOPE} .widget-dropdown > select {{
  flex: 1 1 auto; width: auto; min-width: 8em; max-width: 100%;
}}
{SCOPE} .widget-upload {{ width: auto; max-width: 100%; }}
{SCOPE} :is(textarea, input).widget-input {{ font-family: inherit; font-size: inherit; }}
{SCOPE} :is(textarea, input[type="text"]).widget-input, {SCOPE} :is(.widget-dropdown, .widget-select) > select {{
  border: 1px solid #767676; border-radius: 3px;
}}
{SCOPE} table.et-table {{ border-collapse: collapse; margin: 0.4em 0 0.8em; max-width: 100%; }}
{SCOPE} table.et-table :is(th, td) {{
  border: none; border-bottom: 1px solid #d0d0d0; padding: 0.3em 0.6em;
  text-align: left; vertical-align: top; overflow-wrap: normal; word-break: normal;
}}
{SCOPE} table.et-table thead th {{ border-bottom: 2px solid #555; }}
{SCOPE} .jupyter-button:not(.widget-toggle-button) {{
  background: #f2f2f2; color: #1f1f1f; border: 1px solid #767676; border-radius: 4px;
  margin: 3px 6px 3px 0;
}}
{SCOPE} .jupyter-button:not(.widget-toggle-button):hover:enabled {{ background: #e2e2e2; }}
{SCOPE} .jupyter-button:disabled {{ opacity: 0.55; }}
{SCOPE} .et-chart-box {{ max-width: 640px; }}
{SCOPE} .et-chart-title {{ margin: 0.6em 0 0.2em; }}
{SCOPE} .widget-toggle-buttons {{ flex-wrap: wrap; }}
{SCOPE} .widget-toggle-buttons .widget-toggle-button {{
  background: #fff; color: #1f1f1f; border: 1px solid #767676; margin: 2px 3px 2px 0;
  box-shadow: none; font-weight: 400; padding: 3px 8px;
}}
{SCOPE} .widget-toggle-buttons .widget-toggle-button.mod-active {{
  background: #0b4f8a; border-color: #0b4f8a; color: #fff; font-weight: 700;
}}
{SCOPE} .widget-toggle-buttons .widget-toggle-button.mod-active::before {{
  content: "✓ " / "";
}}
{SCOPE} .et-saved {{ color: #3d3d3d; font-size: 0.92em; margin: 0.2em 0; }}
{SCOPE} .et-saved span {{ color: #006b4f; font-weight: 700; }}
{SCOPE} .et-empty {{ color: #3d3d3d; font-style: italic; }}
"""

#: The assessment: cards and a sticky results panel, side by side or stacked.
ASSESSMENT_CSS = """
.et-assessment .et-assess-frame { container-type: inline-size; display: block; width: 100%; }
.et-assessment .et-assess-grid {
  display: grid; grid-template-columns: minmax(0, 1fr); gap: 0.8em; align-items: start;
}
.et-assessment .et-assess-cards { min-width: 0; }
.et-assessment .et-assess-results {
  order: -1; position: sticky; top: 0; z-index: 5; background: var(--jp-layout-color0, #fff);
  border-bottom: 1px solid #c8c8c8; padding: 0.2em 0 0.4em; min-width: 0;
}
.et-assessment .et-assess-results h3 { margin: 0.2em 0; }
.et-assessment .et-assess-results .widget-html p { margin: 0.2em 0; }
.et-assessment .et-chart-pair {
  display: grid; grid-template-columns: minmax(170px, 230px) minmax(0, 1fr); gap: 0.8em;
  align-items: center;
}
.et-assessment .et-chart-words ul { list-style: none; padding: 0; margin: 0.2em 0;
  columns: 2; column-gap: 1.2em; }
.et-assessment .et-chart-words li { break-inside: avoid; line-height: 1.45; }
@container (min-width: 900px) {
  .et-assessment .et-assess-grid { grid-template-columns: minmax(0, 1fr) minmax(300px, 36%); }
  .et-assessment .et-assess-results {
    order: 0; border: 1px solid #c8c8c8; border-radius: 6px; padding: 0.4em 0.8em;
    max-height: 100vh; overflow-y: auto;
  }
  .et-assessment .et-chart-pair { grid-template-columns: minmax(0, 1fr); }
  .et-assessment .et-chart-words ul { columns: 1; }
}
.et-assessment .et-stepper .widget-dropdown > select { flex: 0 1 auto; min-width: 10em; }
.et-assessment .et-stepper { margin-bottom: 0.3em; }
.et-assessment .et-stepper-buttons { flex-wrap: nowrap; gap: 0; }
.et-assessment .et-card {
  border: 1px solid #b8b8b8; border-radius: 6px; padding: 0.5em 0.7em; margin: 0.4em 0;
}
.et-assessment .et-scale ul { margin: 0.2em 0 0.4em; padding-left: 1.2em; }
.jp-OutputArea-output:has(.et-assessment), .jp-OutputArea-child:has(.et-assessment),
.jp-OutputArea:has(.et-assessment), .jp-Cell-outputWrapper:has(.et-assessment) {
  overflow: visible;
}
"""


#: Everything above, as the session watcher puts it on every course page.
COURSE_CSS = _BASE_CSS + LAYOUT_CSS + ASSESSMENT_CSS
