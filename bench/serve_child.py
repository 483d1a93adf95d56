"""A real ``workshop-tui serve`` child for the benches: time (wall and CPU) to its ready line, its memory, SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def cli() -> list[str]:
    script = Path(sys.executable).with_name("workshop-tui")
    return [sys.executable, str(script)] if script.exists() else [sys.executable, "-m", "workshop_tui"]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` so far (``/proc/<pid>/stat``): the start's cost, whatever the
    load of other processes on a shared machine does to its wall time."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


class Serve:
    """A real ``workshop-tui serve`` child: time to its ready line, its memory, then SIGTERM."""

    def __init__(self, data: Path, code: str | None = None) -> None:
        """With ``code``: also the time from the start to the first answer about that workshop (phones'
        ``GET /api/v1/w/{code}``), which waits for its load however early the ready line comes."""
        start = time.perf_counter()
        self.proc = subprocess.Popen(
            [*cli(), "--data-dir", str(data), "serve", "--host", "127.0.0.1", "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        self.ready_seconds = time.perf_counter() - start
        ready = json.loads(line)
        self.url: str = ready["url"]
        self.token: str = ready["admin_token"]
        self.answer_seconds = self.ready_seconds  # without ``code``: nothing more to wait for
        if code is not None:
            with urllib.request.urlopen(f"{self.url}/api/v1/w/{code}", timeout=60) as answer:
                answer.read()
            self.answer_seconds = time.perf_counter() - start
        self.cpu_seconds = cpu_seconds(self.proc.pid)  # with ``code``: its load included
        self.rss_kib = _status_kib(self.proc.pid, "VmRSS")
        self.hwm_kib = _status_kib(self.proc.pid, "VmHWM")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.communicate(timeout=60)
