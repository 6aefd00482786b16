"""An automated accessibility pass over the exercise widgets, in real Chromium.

axe-core (from npm, installed into ``.node/`` by ``make browser-deps``) is
injected into the JupyterLab page after a module's widgets have rendered and a
learner has used them a little (an answer checked, the action plan opened). The
scan covers only the widget output areas: JupyterLab's own toolbars, editors and
cell list have findings of their own that this course cannot fix.

The target is no ``critical`` violation. ``serious`` ones are listed in the test
output and in ``test-artifacts/accessibility/<module>.json`` without failing.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from lab_ui import NOTEBOOK, Lab
from playwright.sync_api import expect
from screenshots import REPO_ROOT, Screenshots

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(240)]

REPORT_DIR = REPO_ROOT / "test-artifacts" / "accessibility"
#: Widget output areas of the active notebook: the scan's only targets.
WIDGET_AREAS = f"{NOTEBOOK} .jp-OutputArea-output.lm-Panel"
FAILING_IMPACTS = ("critical",)
REPORTED_IMPACTS = ("serious",)

#: Runs axe on the widget output areas; each finding names the course widget it sits in.
AXE_RUN_JS = """
async (selector) => {
  const areas = [...document.querySelectorAll(selector)];
  if (!areas.length) return {scanned: 0, widgets: [], violations: []};
  const result = await axe.run({include: areas}, {resultTypes: ['violations']});
  const courseClass = (el) => [...el.classList].find(c => c.startsWith('et-'));
  const widgetOf = (el) => {
    for (let node = el; node; node = node.parentElement) {
      if (node.classList.contains('jupyter-widgets') && courseClass(node)) return courseClass(node);
    }
    return '(outside the course widgets)';
  };
  const widgets = [...new Set(areas.flatMap(a => [...a.querySelectorAll('.jupyter-widgets')]
      .map(courseClass).filter(Boolean)))];
  return {
    scanned: areas.length,
    widgets,
    violations: result.violations.map(v => ({
      rule: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
      nodes: v.nodes.map(n => ({
        widget: widgetOf(document.querySelector(n.target[0])),
        target: n.target.join(' '),
        html: n.html.slice(0, 300),
        fix: n.failureSummary,
      })),
    })),
  };
}
"""


def check_first_knowledge_check(lab: Lab) -> None:
    """Answer the first knowledge check so that its feedback is scanned too."""
    check = lab.widget_output("et-knowledge-check").first
    check.scroll_into_view_if_needed()
    check.locator("input[type=radio], input[type=checkbox]").first.check()
    check.get_by_role("button", name="Check my answer").click()
    expect(check.locator(".et-notice")).to_be_visible()


def rate_one_indicator(lab: Lab) -> None:
    """Rate one indicator in the assessment, so the results show a rated state."""
    exercise = lab.widget_output("et-assessment")
    exercise.get_by_role("button", name="1 Emerging", exact=True).first.click()
    expect(exercise.locator("table.et-gaps")).to_be_visible()


def show_plan_cards(lab: Lab) -> None:
    """Make the action plan show its cards: with no saved assessment (this module's server is
    shared, so 03_context may have saved one), practise on the fictional example."""
    plan = lab.widget_output("et-action-plan")
    example = plan.get_by_role("button", name="Use the fictional example community")
    cards = plan.locator(".widget-checkbox")
    expect(example.or_(cards).first).to_be_visible()
    if example.is_visible():
        example.click()
    expect(cards.first).to_be_visible()


def combine_practice_files(lab: Lab) -> None:
    """Combine the three fictional practice files, so the heatmap and discussion list show."""
    exercise = lab.widget_output("et-coalition")
    exercise.get_by_role("button", name="Practise with three fictional partners' files").click()
    exercise.get_by_role("button", name="Combine the partners' files").click()
    expect(exercise.locator("img[alt^='Agreement heatmap']")).to_be_visible()


#: Module, the course widgets it must show, and what a learner does before the scan.
MODULES: dict[str, tuple[tuple[str, ...], Callable[[Lab], None] | None]] = {
    "01_strategy": (("et-model-mapping", "et-knowledge-check", "et-reflection"), None),
    "02_possibility": (("et-inventory", "et-knowledge-check", "et-reflection"), None),
    "03_context": (
        ("et-assessment", "et-then-and-now", "et-knowledge-check", "et-reflection"),
        rate_one_indicator,
    ),
    "04_engage": (("et-action-plan", "et-knowledge-check", "et-reflection"), show_plan_cards),
    "05_coalition": (
        ("et-coalition", "et-knowledge-check", "et-reflection"),
        combine_practice_files,
    ),
}


def describe(violations: list[dict]) -> str:
    """Findings in plain lines: impact, rule, widget, element, how to fix."""
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['rule']}: {v['help']} ({v['url']})")
        for node in v["nodes"][:5]:
            lines.append(f"    in {node['widget']}: {node['target']}")
            lines.append(f"      {node['html']}")
            lines.append("      " + node["fix"].replace("\n", "\n      "))
    return "\n".join(lines)


@pytest.mark.parametrize("module", list(MODULES))
def test_exercise_widgets_have_no_critical_violations(
    module: str, shared_lab: Lab, shots: Screenshots, axe_script: Path
) -> None:
    """Do the module's exercise widgets pass axe-core without a critical violation?"""
    lab = shared_lab
    expected_widgets, interact = MODULES[module]
    lab.open_from_file_browser(f"modules/{module}.ipynb")
    state = lab.run_all()
    assert not state.problems(), state.problems()
    check_first_knowledge_check(lab)
    if interact is not None:
        interact(lab)
    lab.widget_outputs().first.scroll_into_view_if_needed()
    shots.take(lab.page, f"{module}-widgets-rendered")

    if not lab.page.evaluate("() => typeof window.axe === 'object'"):
        lab.page.add_script_tag(path=str(axe_script))
    result = lab.page.evaluate(AXE_RUN_JS, WIDGET_AREAS)
    assert result["scanned"] > 0, "no widget output area was found to scan"
    missing = set(expected_widgets) - set(result["widgets"])
    assert not missing, f"the scan did not reach {sorted(missing)}; it saw {result['widgets']}"

    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    (REPORT_DIR / f"{module}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    reported = [v for v in result["violations"] if v["impact"] in REPORTED_IMPACTS]
    if reported:
        text = describe(reported)
        print(f"\nSerious accessibility findings in {module}'s widgets:\n{text}")
        warnings.warn(
            f"{module}: {len(reported)} serious accessibility finding(s) in the widgets "
            f"(rules: {', '.join(v['rule'] for v in reported)}); see "
            f"{REPORT_DIR / (module + '.json')}",
            UserWarning,
            stacklevel=1,
        )
    failing = [v for v in result["violations"] if v["impact"] in FAILING_IMPACTS]
    assert not failing, f"critical accessibility violations in {module}:\n{describe(failing)}"
