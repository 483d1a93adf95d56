"""The strip across the top of every session screen: title, the phase timer, join code, phase and counts.

The screen it sits on refreshes it when domain events arrive (``SessionScreen``).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from screens.audience import phase_title, room_texts
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
        notes = sum(1 for i in state.ideas.values() if i.visible)
        self._title.update(Text(terminal_safe(w.title)))
        status = Text()
        tr = room_texts(self.service, self.code)
        status.append(f" {w.code} ", style="bold reverse")
        status.append(f"  {phase_title(self.service, self.code).upper()}  ", style="bold")
        people, dots = len(state.participants), state.dots_cast()
        counts = (
            tr.ngettext("{count} person", "{count} people", people).format(count=people),
            tr.ngettext("{count} note", "{count} notes", notes).format(count=notes),
            tr.ngettext("{count} dot", "{count} dots", dots).format(count=dots),
        )
        status.append(" · ".join(counts))
        self._status.update(status)
