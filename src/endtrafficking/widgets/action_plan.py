"""The action-plan exercise (module 04_engage).

A notebook shows it with one line::

    action_plan_exercise()

It starts from the top gaps of the learner's saved community assessment. For
each gap the learner chooses one or more engagement options (the suggested
one is pre-selected), names partners (suggested from their saved resource
inventory, or else from the organizations named in the assessment), and
writes a goal, a first step, an owner (a role, never a person's name) and a
target date. The plan check (:func:`endtrafficking.readiness.plan_problems`, the
same rules the graded checks apply) says whether the highest-priority gaps are covered and which focus areas are
left out. The plan saves itself to ``work_dir()/ACTION_PLAN_FILE`` on every
change, comes back when the exercise is built again, and exports as
Markdown, HTML and CSV.

With no saved assessment it says so and offers the fictional example
community, labelled as fictional.
"""

from __future__ import annotations

import html
import json
from datetime import UTC, date, datetime
from typing import Any

import ipywidgets as widgets

from endtrafficking.action_plan import (
    PLAN_KIND,
    ActionPlan,
    PlanItem,
    item_warnings,
    partner_choices,
    plan_file,
)
from endtrafficking.assessment import Assessment, split_organizations
from endtrafficking.errors import CourseInputError
from endtrafficking.examples import example_assessment, example_inventory
from endtrafficking.framework import ENGAGEMENT_OPTIONS, Framework, load_framework
from endtrafficking.inventory import InventoryEntry, saved_inventory
from endtrafficking.readiness import plan_problems
from endtrafficking.safe_save import atomic_write
from endtrafficking.saved_assessment import load_saved_assessment
from endtrafficking.scoring import gaps
from endtrafficking.widgets.action_plan_card import (
    AUTO,
    LABEL_STYLE,
    ItemControls,
    gap_heading,
    item_controls,
)
from endtrafficking.widgets.autosave import AutosaveStore
from endtrafficking.widgets.downloads import download_button
from endtrafficking.widgets.messages import (
    error_text,
    notice_html,
    save_failed_html,
    saved_html,
    shown_or_explained,
)
from endtrafficking.workspace import ACTION_PLAN_FILE, work_dir

EXPORT_LABELS = {
    "html": "Download the plan (HTML, to read and print)",
    "csv": "Download the plan (CSV, for a spreadsheet)",
    "md": "Download the plan (Markdown, plain text)",
}
EXAMPLE_PLAN_BACKUP = "action_plan_fictional_example.json"
OPTION_HELP = (
    "<p><strong>Enhance</strong>: strengthen what you or your organization already do. "
    "<strong>Come alongside</strong>: support organizations already serving your community. "
    "<strong>Fill a gap</strong>: start something nobody provides yet. Before building "
    "something new, look for someone already doing the work and come alongside them.</p>"
)
OWNER_HELP = (
    "The owner is a role, not a person's name (for example 'coalition coordinator' or "
    "'youth services lead')."
)


class ActionPlanExercise(widgets.VBox):
    """The action-plan widget: one card per gap, a plan check, exports; saved as you go."""

    def __init__(self, framework: Framework | None = None) -> None:
        self.framework = framework or load_framework()
        self.store = AutosaveStore.in_work_dir(ACTION_PLAN_FILE, PLAN_KIND)
        self.assessment: Assessment | None = None
        self.plan: ActionPlan | None = None
        self.inventory: list[InventoryEntry] = []
        self.cards: dict[str, ItemControls] = {}
        self.save_count = 0

        self.status = widgets.HTML("")
        self.saved = widgets.HTML("")
        self.header = widgets.HTML("")
        self.example_button = widgets.Button(
            description="Use the fictional example community", icon="book", layout=AUTO
        )
        self.switch_button = widgets.Button(
            description="Switch to my own saved assessment",
            icon="exchange",
            layout=AUTO,
        )
        self.items_box = widgets.VBox([])
        self.add_pick = widgets.Dropdown(
            description="Add another gap to the plan", options=[], style=LABEL_STYLE
        )
        self.add_button = widgets.Button(description="Add to plan", icon="plus", layout=AUTO)
        self.check_html = widgets.HTML("")
        self.export_buttons = {
            kind: download_button(label, lambda k=kind: self.export_file(k))
            for kind, label in EXPORT_LABELS.items()
        }
        self.example_button.on_click(lambda _b: self.use_example())
        self.switch_button.on_click(lambda _b: self.switch_to_own())
        self.add_button.on_click(lambda _b: self._on_add())
        super().__init__([self.status])
        self.add_class("et-action-plan")
        self._start_from_disk()

    # -- starting ----------------------------------------------------------------------
    def _start_from_disk(self) -> None:
        notes: list[str] = []
        state = self.store.load()
        notes += self.store.messages
        plan: ActionPlan | None = None
        if state is not None:
            try:
                plan = ActionPlan.from_state(state, self.framework)
            except CourseInputError as exc:
                try:
                    kept = self._set_aside(state)
                except OSError:
                    kept = f"{self.store.path.name}.bak"
                notes.append(
                    f"Your saved plan could not be read ({error_text(exc)}); it was kept as "
                    f"{kept} and a new plan was started."
                )
        restored = load_saved_assessment(framework=self.framework)
        notes += restored.messages
        if plan is not None and plan.uses_example:
            self._start(example_assessment(self.framework), plan, uses_example=True)
            if restored.assessment is not None:
                self.children = (*self.children[:2], self.switch_button, *self.children[2:])
        elif restored.assessment is not None:
            if plan is not None:
                notes.append("Your saved plan was restored.")
            self._start(restored.assessment, plan, uses_example=False)
        else:
            self._show_no_assessment()
        if notes:
            self.status.value = notice_html("info", " ".join(notes))

    def _set_aside(self, state: Any) -> str:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        name = f"action_plan_unreadable_{stamp}.json"
        atomic_write(
            work_dir() / name, json.dumps(state, indent=2, ensure_ascii=False, default=str)
        )
        return name

    def _show_no_assessment(self) -> None:
        self.header.value = notice_html(
            "info",
            "No community assessment is saved yet. Complete the assessment in module "
            "03_context first (its answers are saved in your working folder), then run this "
            "cell again. Or practise now with the fictional example community: Elderbrook "
            "County is made up, and so is every organization in it.",
        )
        self.children = [self.status, self.header, self.example_button]

    def use_example(self) -> None:
        """Practise on the fictional example community (labelled fictional everywhere)."""
        self._start(example_assessment(self.framework), None, uses_example=True)
        self._save()

    def switch_to_own(self) -> None:
        """Leave the fictional example (its plan is kept in a file) for the learner's own."""
        restored = load_saved_assessment(framework=self.framework)
        if restored.assessment is None:
            self.status.value = notice_html("info", "No saved assessment was found yet.")
            return
        if self.plan is not None:
            atomic_write(
                work_dir() / EXAMPLE_PLAN_BACKUP,
                json.dumps(self.plan.to_state(), indent=2, ensure_ascii=False),
            )
        self._start(restored.assessment, None, uses_example=False)
        self._save()
        self.status.value = notice_html(
            "info", f"The fictional example's plan was kept in {EXAMPLE_PLAN_BACKUP}."
        )

    def _start(self, assessment: Assessment, plan: ActionPlan | None, uses_example: bool) -> None:
        self.assessment = assessment
        if plan is None:
            plan = ActionPlan.from_assessment(assessment, uses_example=uses_example)
        else:
            plan.add_top_gaps(assessment)
        plan.community = assessment.community
        plan.fictional = assessment.fictional
        plan.uses_example = uses_example
        self.plan = plan
        try:
            self.inventory = [] if uses_example else saved_inventory(self.framework)
        except (CourseInputError, ValueError, OSError):
            self.inventory = []
        if uses_example:
            self.inventory = example_inventory(self.framework)
        name = html.escape(assessment.community or "your community")
        fictional = (
            notice_html(
                "info",
                "Fictional example: this plan is for Elderbrook County, a community made up "
                "for practice. Its organizations are invented too.",
            )
            if assessment.fictional
            else ""
        )
        self.header.value = (
            f"{fictional}<h3>Action plan for {name}</h3>{OPTION_HELP}"
            f"<p>{html.escape(OWNER_HELP)}</p>"
        )
        self.cards = {}
        self.items_box.children = [self._card(item) for item in plan.items]
        self._refresh_add_pick()
        self.children = [
            self.status,
            self.saved,
            self.header,
            self.items_box,
            widgets.HBox([self.add_pick, self.add_button]),
            widgets.HTML("<h4>Plan check</h4>"),
            self.check_html,
            widgets.HTML("<h4>Download your plan to share it</h4>"),
            *self.export_buttons.values(),
        ]
        self._refresh_check()

    # -- cards -------------------------------------------------------------------------
    def _card(self, item: PlanItem) -> widgets.VBox:
        assert self.assessment is not None
        area_id = self.framework.indicator(item.indicator_id).area_id
        choices = partner_choices(self.assessment, self.inventory, area_id=area_id)
        heading = gap_heading(item, self.framework, gaps(self.assessment))
        controls = item_controls(item, self.framework, heading, choices)
        self.cards[item.indicator_id] = controls
        ind_id = item.indicator_id
        for opt, checkbox in controls.options.items():
            checkbox.observe(lambda ch, i=ind_id, o=opt: self._on_option(i, o, ch["new"]), "value")
        for name in ("partners", "goal", "first_step", "owner"):
            getattr(controls, name).observe(
                lambda ch, i=ind_id, n=name: self._on_text(i, n, ch["new"]), "value"
            )
        controls.target_date.observe(lambda ch, i=ind_id: self._on_date(i, ch["new"]), "value")
        controls.add_partner.on_click(lambda _b, i=ind_id: self._on_add_partner(i))
        self._update_warnings(ind_id)
        return controls.box

    def _item(self, ind_id: str) -> PlanItem:
        assert self.plan is not None
        item = self.plan.item(ind_id)
        assert item is not None
        return item

    # -- events ------------------------------------------------------------------------
    def _on_option(self, ind_id: str, option: str, chosen: bool) -> None:
        item = self._item(ind_id)
        picked = set(item.options) | {option} if chosen else set(item.options) - {option}
        item.options = [o for o in ENGAGEMENT_OPTIONS if o in picked]
        self._changed(ind_id)

    def _on_text(self, ind_id: str, name: str, value: str) -> None:
        item = self._item(ind_id)
        if name == "partners":
            item.partners = split_organizations(value)
        else:
            setattr(item, name, value)
        self._changed(ind_id)

    def _on_date(self, ind_id: str, value: date | None) -> None:
        self._item(ind_id).target_date = value.isoformat() if value else ""
        self._changed(ind_id)

    def _on_add_partner(self, ind_id: str) -> None:
        card = self.cards[ind_id]
        name = card.partner_pick.value
        if not name:
            return
        current = split_organizations(card.partners.value)
        if name not in current:
            card.partners.value = "; ".join([*current, name])

    def _on_add(self) -> None:
        if self.plan is None or self.assessment is None or not self.add_pick.value:
            return
        item = self.plan.add_gap(self.assessment, self.add_pick.value)
        self.items_box.children = (*self.items_box.children, self._card(item))
        self._refresh_add_pick()
        self._changed(item.indicator_id)

    def _changed(self, ind_id: str) -> None:
        self._update_warnings(ind_id)
        self._save()
        self._refresh_check()

    # -- feedback ----------------------------------------------------------------------
    def _update_warnings(self, ind_id: str) -> None:
        found = item_warnings(self._item(ind_id))
        self.cards[ind_id].warnings.value = (
            notice_html("warn", "Note: " + " ".join(found)) if found else ""
        )

    def check_messages(self) -> list[str]:
        """The plan check's messages (empty when the plan is ready)."""
        if self.plan is None or self.assessment is None:
            return []
        return plan_problems(self.plan, self.assessment)

    def _refresh_check(self) -> None:
        messages = self.check_messages()
        if messages:
            items = "".join(f"<li>{html.escape(m)}</li>" for m in messages)
            self.check_html.value = notice_html(
                "warn", f"To do before your plan is ready:<ul>{items}</ul>", raw=True
            )
        else:
            self.check_html.value = notice_html(
                "ok",
                "Ready: your plan covers the highest-priority gaps and every weak focus area, "
                "with partners, roles and dates as the graded check asks.",
            )

    def _refresh_add_pick(self) -> None:
        assert self.plan is not None and self.assessment is not None
        ranked = gaps(self.assessment)
        options = [
            (f"{r.indicator_id} ({r.area}): rated {r.rating_label}", r.indicator_id)
            for r in ranked.itertuples()
            if self.plan.item(r.indicator_id) is None
        ]
        self.add_pick.options = options
        self.add_pick.value = options[0][1] if options else None
        self.add_button.disabled = not options

    # -- saving and exporting ----------------------------------------------------------
    def _save(self) -> None:
        if self.plan is None:
            return
        self.plan.touch()
        try:
            self.store.save(self.plan.to_state())
        except OSError as exc:
            self.saved.value = save_failed_html(exc)
            return
        self.save_count += 1
        self.saved.value = saved_html()

    def export_file(self, kind: str) -> tuple[str, bytes]:
        """The plan as a ``md``, ``html`` or ``csv`` file: its name and bytes."""
        if self.plan is None:
            raise CourseInputError(
                "there is no plan to download yet.",
                fix="choose an option for a gap above; your plan then appears here.",
            )
        return plan_file(self.plan, self.framework, kind)


def action_plan_exercise() -> widgets.Widget:
    """The action-plan exercise, ready to display (the last line of a cell).

    If it cannot be built, a message says why, never a traceback.
    """
    return shown_or_explained(ActionPlanExercise)
