"""The strip across the top of every session screen: title, the phase timer, join code, phase and counts.

The join code, the phase and the timer always show whole; the title takes what is left and ends
in an ellipsis, and when even a short title would not fit the counts drop their least useful parts
first (dots, then notes). In ideate, vote and teams it says how many are still writing, voting or
ranking (counts, never names). The screen it sits on refreshes it when domain events arrive
(``SessionScreen``).
"""

from __future__ import annotations

from babel.support import NullTranslations
from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from screens.audience import phase_title, room_texts
from screens.widgets.text_update import update_text
from screens.widgets.timer import PhaseTimer
from workshop_tui.service import WorkshopService
from workshop_tui.text_safety import terminal_safe

TITLE_ROOM = 16  # cells the title keeps (with its padding) before the counts give way


class SessionBar(Horizontal):
    DEFAULT_CSS = """
    SessionBar { height: 1; background: $panel; color: $foreground; }
    SessionBar > .title { width: 1fr; min-width: 4; text-style: bold; padding: 0 1; text-wrap: nowrap;
                          text-overflow: ellipsis; }
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

    def on_resize(self) -> None:
        self.refresh_counts()

    def refresh_counts(self) -> None:
        view = self.service.view(self.code)
        w = view.workshop
        update_text(self._title, Text(terminal_safe(w.title)))
        tr = room_texts(self.service, self.code)
        head = Text()
        head.append(f" {w.code} ", style="bold reverse")
        head.append(f"  {phase_title(self.service, self.code).upper()}  ", style="bold")
        people, notes, dots = len(view.participants), view.notes_on_wall(), view.dots_cast()
        said = (
            tr.ngettext("{count} person", "{count} people", people).format(count=people),
            tr.ngettext("{count} note", "{count} notes", notes).format(count=notes),
            tr.ngettext("{count} dot", "{count} dots", dots).format(count=dots),
        )
        counts = [" · ".join(said), " · ".join(said[:2]), said[0], ""]
        ready = view.readiness()
        if ready is not None and (
            (ready.task == "voting" and not w.voting_open) or (ready.task == "ranking" and w.teams_published)
        ):
            ready = None  # a closed ballot, published teams: nobody is still voting or ranking
        if ready is not None and ready.people:  # the room's progress comes before notes and dots
            still = still_busy(tr, ready.task, ready.waiting, ready.people)
            counts = [" · ".join((said[0], still, *said[1:])), f"{said[0]} · {still}", still, ""]
        timer = self.query_one(PhaseTimer)
        room = self.size.width - TITLE_ROOM - (timer.outer_size.width if timer.display else 0) - 2
        fitting = next((c for c in counts if cell_len(head.plain) + cell_len(c) <= room), "")
        if not self.size.width:  # not laid out yet: the full form, fitted on the first resize
            fitting = counts[0]
        update_text(self._status, head + Text(fitting))


def still_busy(tr: NullTranslations, task: str, waiting: int, people: int) -> str:
    """ "all 8 done" or "3 still writing", in the room's language."""
    if not waiting:
        return tr.ngettext("all {count} done", "all {count} done", people).format(count=people)
    if task == "voting":
        return tr.ngettext("{count} still voting", "{count} still voting", waiting).format(count=waiting)
    if task == "ranking":
        return tr.ngettext("{count} still ranking", "{count} still ranking", waiting).format(count=waiting)
    return tr.ngettext("{count} still writing", "{count} still writing", waiting).format(count=waiting)
