"""The strip across the top of every session screen: title, the phase timer, join code, phase and counts.

The screen it sits on refreshes it when domain events arrive (``SessionScreen``).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from screens.widgets.timer import PhaseTimer
from workshop_tui.service import WorkshopService
from workshop_tui.text_safety import terminal_safe


class SessionBar(Horizontal):
    DEFAULT_CSS = """
    SessionBar { height: 1; background: $panel; color: $foreground; }
    SessionBar > .title { width: 1fr; text-style: bold; padding: 0 1; }
    SessionBar > .status { width: auto; padding: 0 1; }
    """

    def __init__(self, service: WorkshopService, code: str) -> None:
        super().__init__()
        self.service = service
        self.code = code
        self._title = Static(classes="title", markup=False)
        self._status = Static(classes="status", markup=False)

    def compose(self) -> ComposeResult:
        yield self._title
        yield PhaseTimer(self.service, self.code, compact=True)
        yield self._status

    def on_mount(self) -> None:
        self.refresh_counts()

    def refresh_counts(self) -> None:
        state = self.service.state(self.code)
        w = state.workshop
        notes = state.notes_on_wall()
        self._title.update(Text(terminal_safe(w.title)))
        status = Text()
        status.append(f" {w.code} ", style="bold reverse")
        status.append(f"  {w.phase.value.upper()}  ", style="bold")
        status.append(f"{len(state.participants)} people · {notes} notes · {state.dots_cast()} dots")
        self._status.update(status)
