"""uvicorn's server without its signal handling, in its own module so that uvicorn loads only when a
server starts (``ParticipantServer.start``), not when one is built or bound."""

from __future__ import annotations

import contextlib
from collections.abc import Generator

import uvicorn


class QuietServer(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        # The host owns the signals: Textual quits cleanly on them, `serve` stops on them.
        yield
