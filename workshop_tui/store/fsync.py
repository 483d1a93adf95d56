"""The few system calls that make a write durable, in one place so tests can make them fail.

``fault_point(name)`` marks each step after which a crash leaves a different state on disk; the
crash tests set ``fault_hook`` to stop the store there (see ``tests/test_crash_points.py``).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path

#: Called with the name of every durability step; None in production.
fault_hook: Callable[[str], None] | None = None


def fault_point(name: str) -> None:
    if fault_hook is not None:
        fault_hook(name)


def sync_file(fd: int) -> None:
    if sys.platform == "darwin":  # pragma: no cover - macOS only: fsync does not reach the platter
        import fcntl

        fcntl.fcntl(fd, fcntl.F_FULLFSYNC)
    elif hasattr(os, "fdatasync"):
        os.fdatasync(fd)
    else:  # pragma: no cover
        os.fsync(fd)


def sync_dir(path: Path) -> None:
    """Make a rename or a new file in ``path`` durable."""
    if os.name != "posix":  # pragma: no cover
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_all(fd: int, data: bytes, point: str) -> None:
    """Write ``data`` in two halves, with a fault point between them (a torn write)."""
    view = memoryview(data)
    half = len(view) // 2
    for part in (view[:half], view[half:]):
        while part:
            part = part[os.write(fd, part) :]
        if half:
            fault_point(f"{point}.torn")
            half = 0


def write_atomic(path: Path, data: bytes, *, tmp: Path | None = None) -> None:
    """temp file + fsync + rename + directory fsync: readers see the old or the new file, never half.

    The temporary file (``tmp``, by default ``.NAME.tmp`` beside ``path``) is owner-only (0600, even if a
    leftover had another mode) and never opened through a symlink planted at its name. A write that
    fails (disk full, permission, a read-only file system) removes it again: a failure leaves the old
    file and nothing else. (A crash leaves it behind, to be overwritten by the next write.)"""
    tmp = tmp or path.with_name(f".{path.name}.tmp")
    fault_point("atomic.create")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    try:
        try:
            os.fchmod(fd, 0o600)
            write_all(fd, data, "atomic.write")
            fault_point("atomic.sync")
            sync_file(fd)
        finally:
            os.close(fd)
        fault_point("atomic.rename")
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):  # the write's own error is the one to report
            tmp.unlink(missing_ok=True)
        raise
    fault_point("atomic.dir_sync")
    sync_dir(path.parent)
    fault_point("atomic.done")
