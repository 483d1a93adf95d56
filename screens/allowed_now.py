"""What the app's actions offer now, for the footer (``check_action``) and the palette: one answer for
both, from the actions x phases table and the screen the action would run on (the palette asks about
the screen beneath it)."""

from __future__ import annotations

from typing import Any

from textual.screen import ModalScreen, Screen

from screens.navigation import PHASE_SCREENS, LazyScreen
from screens.phase_control import advance_target, step_back_target
from screens.session import SessionScreen
from workshop_tui.actions import Action, allowed
from workshop_tui.phases import Phase
from workshop_tui.service.view import WorkshopView

#: Actions about the open workshop: none without one, none over a dialog.
SESSION_ACTIONS = frozenset(
    {"advance_phase", "step_back_phase", "reveal_results", "export", "home", "show_phase", "toggle_authors"}
)
TIMER_ACTIONS = frozenset({"timer_toggle", "timer_add_minute", "timer_reset"})
#: Actions that open a screen of their own: not from inside a dialog.
OPENING_ACTIONS = frozenset({"new_workshop", "open_demo", "backlog"})
#: Actions on the open workshop's phase: only on a screen of that workshop's session (not on a review
#: meeting or the backlog of every workshop, which a phase key would leave behind the facilitator's back).
PHASE_ACTIONS = frozenset({"advance_phase", "step_back_phase", "reveal_results"})


def shows_open_workshop(screen: Screen[Any], open: WorkshopView) -> bool:
    """``screen`` is one of the open workshop's phase screens (a ``SessionScreen``, or its backlog)."""
    return isinstance(screen, SessionScreen) or getattr(screen, "code", None) == open.code


def showing(screen: Screen[Any], open: WorkshopView, parameters: tuple[object, ...]) -> bool:
    """``screen`` is already the open workshop's screen for the phase in ``parameters`` (showing it
    again would do nothing; the ideation and grouping walls are one screen)."""
    factory = PHASE_SCREENS[Phase(str(parameters[0]))]
    return isinstance(factory, LazyScreen) and factory.built(screen) and shows_open_workshop(screen, open)


def action_allowed(action: str, parameters: tuple[object, ...], screen: Screen[Any], open: WorkshopView | None) -> bool:
    """Whether ``action`` makes sense on ``screen`` with ``open`` the open workshop (None: the list)."""
    modal = isinstance(screen, ModalScreen)
    if action in SESSION_ACTIONS | TIMER_ACTIONS and (modal or open is None):
        return False
    if open is None:
        return not (modal and action in OPENING_ACTIONS)
    if action in PHASE_ACTIONS and not shows_open_workshop(screen, open):
        return False
    if action == "advance_phase":
        return advance_target(open.phase) is not None
    if action == "step_back_phase":
        return step_back_target(open.phase) is not None
    if action == "show_phase":
        return bool(parameters) and Phase(str(parameters[0])) in PHASE_SCREENS and not showing(screen, open, parameters)
    if action == "reveal_results":
        return allowed(Action.REVEAL_RESULTS, open.phase) and not open.workshop.results_revealed
    if action == "toggle_authors":
        return not open.workshop.settings.anonymous  # an anonymous workshop shows names nowhere
    if action in TIMER_ACTIONS:
        return isinstance(screen, SessionScreen) and allowed(Action.TIMER, open.phase)
    return not (modal and action in OPENING_ACTIONS)
