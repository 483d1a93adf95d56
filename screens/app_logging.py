"""Where the TUI's logs go: never over the screen. A panel handler keeps lines for the info screen and
a file handler writes ``<data_dir>/logs/workshop-tui.log``; handlers writing to the terminal are set
aside while the TUI runs and put back afterwards."""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from collections import deque
from collections.abc import Callable
from pathlib import Path

from workshop_tui.text_safety import FileSafeFormatter

LOG_NAME = "workshop-tui.log"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class LogPanelHandler(logging.Handler):
    """Keeps the last ``capacity`` formatted lines and hands new ones to the open log panels."""

    def __init__(self, loop: asyncio.AbstractEventLoop, capacity: int = 1000) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(logging.Formatter(LOG_FORMAT, "%H:%M:%S"))
        self.lines: deque[str] = deque(maxlen=capacity)
        self.sinks: list[Callable[[str], None]] = []
        self._loop = loop
        self._loop_thread = threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:  # a bad log call must never break the app
            return
        if threading.get_ident() == self._loop_thread:
            self._deliver(line)
        else:
            self._loop.call_soon_threadsafe(self._deliver, line)

    def _deliver(self, line: str) -> None:
        self.lines.append(line)
        for sink in list(self.sinks):
            sink(line)


class TuiLogging:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.panel: LogPanelHandler | None = None
        self.file: Path | None = None
        self.problem: str | None = None  # why the log file could not be opened
        self._handlers: list[logging.Handler] = []
        self._detached: list[logging.Handler] = []
        self._previous_level = logging.WARNING

    def install(self) -> None:
        root = logging.getLogger()
        self._previous_level = root.level
        root.setLevel(logging.INFO)
        for handler in list(root.handlers):
            stream = getattr(handler, "stream", None)
            if stream is not None and stream in (sys.stderr, sys.stdout, sys.__stderr__, sys.__stdout__):
                root.removeHandler(handler)
                self._detached.append(handler)
        self.panel = LogPanelHandler(asyncio.get_running_loop())
        self._handlers.append(self.panel)
        log_dir = self.data_dir / "logs"
        try:
            log_dir.mkdir(parents=True, exist_ok=True)
            file_handler = logging.FileHandler(log_dir / LOG_NAME, encoding="utf-8")
        except OSError as exc:
            self.problem = f"cannot write the log file in {log_dir}: {exc}"
        else:
            file_handler.setFormatter(FileSafeFormatter(LOG_FORMAT))  # tailed in a terminal
            file_handler.setLevel(logging.INFO)
            self._handlers.append(file_handler)
            self.file = log_dir / LOG_NAME
        for handler in self._handlers:
            root.addHandler(handler)

    def remove(self) -> None:
        root = logging.getLogger()
        for handler in self._handlers:
            root.removeHandler(handler)
            handler.close()
        self._handlers.clear()
        for handler in self._detached:
            root.addHandler(handler)
        self._detached.clear()
        root.setLevel(self._previous_level)
