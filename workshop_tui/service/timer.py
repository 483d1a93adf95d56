"""The phase timer: started from the phase's timebox (or given minutes), paused, extended, stopped.

It lives in the store like any write, so phones (``GET /api/v1/w/{code}``, an SSE ``timer_changed``),
the admin API and the TUI read one clock; the time left is computed from ``started_at``, never ticked.
"""

from __future__ import annotations

from enum import StrEnum

from workshop_tui import events as ev
from workshop_tui.actions import Action, require
from workshop_tui.errors import Conflict, Invalid
from workshop_tui.models import PhaseTimer, utcnow
from workshop_tui.service.base import Concern
from workshop_tui.state import Change

DEFAULT_MINUTES = 5


class TimerCommand(StrEnum):
    START = "start"  # a new countdown: `minutes`, else the phase's timebox, else 5 minutes
    PAUSE = "pause"
    RESUME = "resume"
    ADD = "add"  # `minutes` more (default 1), also to a finished countdown
    STOP = "stop"


class TimerOps(Concern):
    def timer(self, code: str) -> PhaseTimer | None:
        """The current phase's timer; one left from an earlier phase does not count."""
        state = self.state(code)
        timer = state.timers.get(state.id)
        return timer if timer is not None and timer.phase == state.workshop.phase else None

    async def set_timer(self, code: str, command: TimerCommand | str, minutes: int | None = None) -> PhaseTimer | None:
        state = self.state(code)
        phase = state.workshop.phase
        require(Action.TIMER, phase)
        try:
            command = TimerCommand(command)
        except ValueError:
            raise Invalid(f"unknown timer command {command!r}; use {', '.join(TimerCommand)}") from None
        if minutes is not None and not 1 <= minutes <= 24 * 60:
            raise Invalid("minutes is between 1 and 1440")
        now = utcnow()
        current = self.timer(code)
        updated: PhaseTimer | None
        if command == TimerCommand.START:
            boxed = state.workshop.settings.timeboxes.get(phase)
            seconds = min(24 * 3600, 60 * (minutes or boxed or DEFAULT_MINUTES))  # a weeks-long timebox: one day
            updated = PhaseTimer(id=state.id, phase=phase, seconds=seconds, started_at=now)
        elif command == TimerCommand.STOP:
            updated = None
        elif current is None:
            raise Conflict("no timer is running in this phase: start one first")
        elif command == TimerCommand.PAUSE:
            if current.started_at is None:
                return await self._unchanged(state, current)
            ran = (now - current.started_at).total_seconds()
            updated = current.model_copy(
                update={"elapsed": min(current.seconds, current.elapsed + ran), "started_at": None}
            )
        elif command == TimerCommand.RESUME:
            updated = current if current.started_at else current.model_copy(update={"started_at": now})
        else:
            added = current.seconds + 60 * (minutes or 1)
            updated = current.model_copy(update={"seconds": min(added, 24 * 3600)})
        change = Change(state)
        if updated is None:
            change.delete("timers", state.id)
        else:
            change.put("timers", updated)
        await change.commit()
        self._emit(state, ev.TimerChanged, timer=updated)
        return updated
