"""What the facilitator's timer keys mean on the workshop's clock (``service.set_timer``).

``space`` starts the phase's timebox when there is no countdown (or it ran out), else pauses or
resumes it; ``+`` adds a minute (to a timer not started yet too: it is started and paused first);
``ctrl+r`` stops it, back to the phase's timebox. The TUI, phones and tools read the same clock.
"""

from __future__ import annotations

from workshop_tui.models import utcnow
from workshop_tui.service import TimerCommand, WorkshopService


async def toggle(service: WorkshopService, code: str) -> None:
    timer = service.timer(code)
    if timer is None or timer.seconds_left(utcnow()) <= 0:
        await service.set_timer(code, TimerCommand.START)
    elif timer.started_at is None:
        await service.set_timer(code, TimerCommand.RESUME)
    else:
        await service.set_timer(code, TimerCommand.PAUSE)


async def add_minute(service: WorkshopService, code: str) -> None:
    if service.timer(code) is None:
        await service.set_timer(code, TimerCommand.START)
        await service.set_timer(code, TimerCommand.PAUSE)
    await service.set_timer(code, TimerCommand.ADD, 1)


async def reset(service: WorkshopService, code: str) -> None:
    await service.set_timer(code, TimerCommand.STOP)
