"""What ``u`` undoes on the wall, and the one toast a burst of the same step gets.

A burst of deletes (or hides) is one undo step and one toast ("Deleted 20 notes"), not one per key. It ends
when its toast is told, once the facilitator has paused for ``BURST`` seconds; the toast's clock stops while
a step waits for the disk, so a slow write never splits one burst into two undo steps.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from textual.timer import Timer

BURST = 1.0  # seconds: deletes (or hides) this close together are one undo step and one toast
JOINS_BURST = ("delete", "hide")


@dataclass(frozen=True)
class UndoStep:
    """What ``u`` undoes: ``verb`` and ``count`` say it in the header, ``run`` reverts it through the service."""

    verb: str
    run: Callable[[], Awaitable[object]]
    count: int = 1

    @property
    def label(self) -> str:
        return self.verb if self.count == 1 else f"{self.verb} {self.count} notes"


async def in_turn(*steps: Callable[[], Awaitable[object]]) -> None:
    for step in steps:
        await step()


class UndoHistory:
    """The undo stack and the toast of the current burst. ``set_timer`` is the screen's (the toast is told
    on its clock); ``notify`` tells the toast."""

    def __init__(self, set_timer: Callable[[float, Callable[[], None]], Timer], notify: Callable[[str], None]) -> None:
        self.steps: list[UndoStep] = []
        self._set_timer = set_timer
        self._notify = notify
        self._toast: Counter[str] = Counter()  # a burst's counts, told in one toast when it ends
        self._toast_timer: Timer | None = None
        self._burst_step: UndoStep | None = None  # the undo step the current burst adds to

    @property
    def last(self) -> UndoStep | None:
        return self.steps[-1] if self.steps else None

    def pop(self) -> UndoStep | None:
        return self.steps.pop() if self.steps else None

    def push(self, verb: str, run: Callable[[], Awaitable[object]], count: int = 1) -> None:
        """Push what reverts the change just made; a delete or hide right after the last one joins it."""
        last = self.last
        if last is not None and last is self._burst_step and last.verb == verb and verb in JOINS_BURST:
            step = UndoStep(verb, partial(in_turn, run, last.run), last.count + count)
            self.steps[-1] = step
        else:
            step = UndoStep(verb, run, count)
            self.steps.append(step)
        self._burst_step = step

    def tell(self, verb: str, count: int) -> None:
        """Count ``count`` notes into the burst's toast, told once the facilitator pauses."""
        self._toast[verb] += count
        self._stop_clock()
        self._toast_timer = self._set_timer(BURST, self._flush)

    @contextmanager
    def waiting_for_disk(self) -> Iterator[None]:
        """The toast's clock stops while a step waits for the disk."""
        self._stop_clock()
        try:
            yield
        finally:
            if self._toast and self._toast_timer is None:
                self._toast_timer = self._set_timer(BURST, self._flush)

    def _stop_clock(self) -> None:
        if self._toast_timer is not None:
            self._toast_timer.stop()
            self._toast_timer = None

    def _flush(self) -> None:
        self._toast_timer = None
        self._burst_step = None
        parts = [f"{verb} {n} {'note' if n == 1 else 'notes'}" for verb, n in self._toast.items()]
        self._toast.clear()
        if parts:
            self._notify("; ".join(parts) + ". u undoes")
