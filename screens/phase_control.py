"""Moving the open workshop through its phases from the TUI: where ``next`` and ``step back`` lead, and
the question asked first (phones follow at once, so a stray key must not move the room)."""

from __future__ import annotations

from screens.confirm import ConfirmScreen
from workshop_tui.phases import ORDER, PHASE_SPECS, Phase, allowed_targets, next_phase
from workshop_tui.service.view import WorkshopView

PHASE_TITLES = {phase: spec.title for phase, spec in PHASE_SPECS.items()}


def advance_target(phase: Phase) -> Phase | None:
    return next_phase(phase)


def step_back_target(phase: Phase) -> Phase | None:
    """The nearest earlier phase the machine allows (vote steps back to group, not straight to ideate)."""
    back = [p for p in allowed_targets(phase) if ORDER.index(p) < ORDER.index(phase)]
    return max(back, key=ORDER.index) if back else None


def phase_question(view: WorkshopView, target: Phase, verb: str) -> ConfirmScreen:
    question = f"{verb}: move {view.code} from {view.phase.value} to {target.value}?"
    detail = f"Phones follow at once. The screen becomes the {PHASE_TITLES[target]}."
    return ConfirmScreen(question, detail)
