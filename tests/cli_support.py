"""Run the real command line in a subprocess, as a user would, on a given data directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _command(data_dir: Path, args: tuple[str, ...]) -> list[str]:
    return [sys.executable, "-m", "workshop_tui", "--data-dir", str(data_dir), *args]


def _env(extra: dict[str, str] | None) -> dict[str, str]:
    env = {**os.environ, "COLUMNS": "160", **(extra or {})}
    if not extra or "WORKSHOP_TUI_HOME" not in extra:
        env.pop("WORKSHOP_TUI_HOME", None)  # --data-dir decides, never the caller's environment
    return env


def run_cli(data_dir: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _command(data_dir, args), capture_output=True, text=True, env=_env(env), stdin=subprocess.DEVNULL, timeout=120
    )


def run_cli_bytes(data_dir: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """For output whose exact bytes matter (CSV line endings)."""
    return subprocess.run(
        _command(data_dir, args), capture_output=True, env=_env(None), stdin=subprocess.DEVNULL, timeout=120
    )
