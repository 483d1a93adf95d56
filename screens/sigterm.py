"""SIGTERM ends the session the way ctrl+q and ``y`` do, without asking: the server stops gracefully and
the store closes (final snapshot) before the process exits.

A loop signal handler, so the callback runs on the app's event loop; where signals cannot be handled
here (not the main thread, another platform) it is simply not installed.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable


class SigtermHandler:
    def __init__(self, on_sigterm: Callable[[], None]) -> None:
        self._on_sigterm = on_sigterm
        self._installed = False

    def install(self) -> None:
        try:
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, self._on_sigterm)
        except (NotImplementedError, RuntimeError, ValueError):
            return
        self._installed = True

    def remove(self) -> None:
        if self._installed:
            with contextlib.suppress(Exception):
                asyncio.get_running_loop().remove_signal_handler(signal.SIGTERM)
            self._installed = False
