"""``<data dir>/server.json``: where the process that owns the data directory serves, for local clients.

The owner (the TUI or ``workshop-tui serve``) writes it once its server listens and removes it on a
clean stop; a second terminal's ``workshop-tui present`` reads it to find the server. It holds the
admin token, so it is written owner-only (0600) and never through a planted symlink. A crash leaves it
behind: ``read_runtime`` reports such a file as stale when its process is gone, and a reader that
cannot connect treats the owner as not running either way.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from workshop_tui.store.fsync import write_atomic

RUNTIME_FILE = "server.json"


class ServerRuntime(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)  # built when first used (models._Strict)

    local_url: str = Field(description="the server as this machine reaches it (loopback when it listens everywhere)")
    public_url: str = Field(description="the base URL phones use (what the QR code encodes)")
    admin_token: str
    pid: int
    started_at: dt.datetime


class RuntimeState(BaseModel):
    """What ``read_runtime`` found: the file (None: no owner), and why it does not count (stale)."""

    model_config = ConfigDict(defer_build=True)

    runtime: ServerRuntime | None = None
    problem: str | None = None


def local_url(host: str, port: int) -> str:
    """How a client on this machine reaches a server listening on ``host``."""
    if host in ("", "0.0.0.0"):
        return f"http://127.0.0.1:{port}"
    if host in ("::", "[::]"):
        return f"http://[::1]:{port}"
    return f"http://[{host.strip('[]')}]:{port}" if ":" in host else f"http://{host}:{port}"


def write_runtime(data_dir: Path, runtime: ServerRuntime) -> Path:
    path = data_dir / RUNTIME_FILE
    for stale in data_dir.glob(f".{RUNTIME_FILE}.*.tmp"):  # a kill between open and replace: it holds a token
        pid = stale.name.split(".")[-2]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            stale.unlink(missing_ok=True)
    # One temporary file per writer (two owners starting at once never write into each other's), named by
    # its pid so that the next writer can tell a dead one's leftover.
    tmp = data_dir / f".{RUNTIME_FILE}.{os.getpid()}.tmp"
    write_atomic(path, runtime.model_dump_json(indent=2).encode() + b"\n", tmp=tmp)
    return path


def remove_runtime(data_dir: Path, pid: int | None = None) -> None:
    """Remove the file if it is ours (``pid``): a newer owner's file stays."""
    path = data_dir / RUNTIME_FILE
    if pid is not None:
        found = read_runtime(data_dir).runtime
        if found is not None and found.pid != pid:
            return
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return True


def read_runtime(data_dir: Path) -> RuntimeState:
    path = data_dir / RUNTIME_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return RuntimeState()
    except OSError as exc:
        return RuntimeState(problem=f"cannot read {path}: {exc.strerror or exc}")
    try:
        runtime = ServerRuntime.model_validate_json(raw)
    except ValidationError:
        return RuntimeState(problem=f"{path} is not a server file workshop-tui wrote; it is ignored")
    if not _alive(runtime.pid):
        return RuntimeState(problem=f"{path} is left from process {runtime.pid}, which is no longer running")
    return RuntimeState(runtime=runtime)
