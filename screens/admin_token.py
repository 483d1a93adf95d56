"""The admin token goes to a file, never to the screen: the facilitator's screen is projected.

``<data_dir>/admin-token`` is written owner-only (0600) when the participant server starts and removed
when it stops, so a co-facilitator's script on this machine can read it; the info screen shows the path
and copies the token to the clipboard (OSC 52) only when asked.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

TOKEN_FILE = "admin-token"


def write_token_file(data_dir: Path, token: str) -> Path:
    path = data_dir / TOKEN_FILE
    # O_NOFOLLOW: a planted symlink cannot redirect the secret; fchmod: an existing file keeps its mode otherwise.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, f"{token}\n".encode())
    finally:
        os.close(fd)
    return path


def remove_token_file(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
