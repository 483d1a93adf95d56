"""Start `workshop-tui serve` as a real subprocess and read its ready line."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Served:
    process: subprocess.Popen[str]
    url: str = ""
    admin_token: str = ""
    lines: list[str] = field(default_factory=list)
    _queue: queue.Queue[str | None] = field(default_factory=queue.Queue)

    def next_line(self, timeout: float) -> str | None:
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None


def _pump(process: subprocess.Popen[str], out: queue.Queue[str | None]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        out.put(line.rstrip("\n"))
    out.put(None)


def start_serve(data_dir: Path, *args: str, timeout: float = 30) -> Served:
    env = {**os.environ}
    env.pop("WORKSHOP_TUI_HOME", None)
    env.pop("WORKSHOP_TUI_ADMIN_TOKEN", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "workshop_tui", "--data-dir", str(data_dir), "serve", "--host", "127.0.0.1", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    served = Served(process)
    threading.Thread(target=_pump, args=(process, served._queue), daemon=True).start()
    line = served.next_line(timeout)
    if line is None:
        process.kill()
        _, err = process.communicate(timeout=10)
        raise AssertionError(f"serve did not become ready: {err}")
    event = json.loads(line)
    assert event["event"] == "ready", line
    served.url, served.admin_token, served.lines = event["url"], event["admin_token"], [line]
    return served


def read_lines(served: Served, count: int, timeout: float = 10) -> list[str]:
    out: list[str] = []
    deadline = time.monotonic() + timeout
    while len(out) < count and time.monotonic() < deadline:
        line = served.next_line(max(0.01, deadline - time.monotonic()))
        if line is None:
            break
        out.append(line)
    return out
