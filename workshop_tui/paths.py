"""Where things live: the user's data directory and the data shipped with the package."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_HOME = "WORKSHOP_TUI_HOME"


def default_data_dir() -> Path:
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("workshop-tui", appauthor=False))


def shipped_data_dir() -> Path:
    """``data/`` of the source tree, or its copy inside the installed wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_shipped_data", here.parent / "data"):
        if (candidate / "templates").is_dir():
            return candidate
    raise FileNotFoundError("workshop-tui's shipped data (templates, demo, schemas) is missing")
