"""The few system calls that make a write durable, in one place so tests can make them fail."""

from __future__ import annotations

import os
import sys
from pathlib import Path


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


def write_atomic(path: Path, data: bytes) -> None:
    """temp file + fsync + rename + directory fsync: readers see the old or the new file, never half."""
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        sync_file(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    sync_dir(path.parent)
